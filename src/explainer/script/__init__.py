"""The lecture as data: script.yaml parsed with positions, validated, and its scenes found by source."""
