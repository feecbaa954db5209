using Spiffe.Agent.Benchmarks;

return await AgentLoad.MainAsync(args);
