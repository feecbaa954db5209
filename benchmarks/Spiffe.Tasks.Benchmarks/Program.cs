using Spiffe.Tasks.Benchmarks;

return await TaskLoad.MainAsync(args);
