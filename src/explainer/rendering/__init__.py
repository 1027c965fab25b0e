"""What runs inside a render process (the worker, held frames, pieces of a split slide, doctor's
probe) and the Dask task that starts one on a worker machine. Nothing outside this stage imports
it: explainer/job/launch.py starts it by name."""
