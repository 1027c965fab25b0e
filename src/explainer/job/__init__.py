"""A render job, as both sides of the process wall see it: the records that cross it, how a render
process is started and stopped, and what a machine must share with another to render the same frames.
"""
