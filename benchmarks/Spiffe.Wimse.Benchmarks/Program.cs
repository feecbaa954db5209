using Spiffe.Wimse.Benchmarks;

return await WimseLoad.MainAsync(args);
