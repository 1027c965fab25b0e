"""`explainer record`: the recording booth, a local web page to record, check and accept a take
for each narration segment while what is stale renders in the background."""
