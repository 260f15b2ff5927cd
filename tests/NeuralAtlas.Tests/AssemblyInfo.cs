// Tests that flip process-wide switches (OpenBLAS on/off) share one collection so they never run concurrently.
[assembly: Xunit.CollectionBehavior(MaxParallelThreads = 2)]
