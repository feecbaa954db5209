using Spiffe.Agent;

if (!OperatingSystem.IsLinux())
{
    await Console.Error.WriteLineAsync("spiffe-agent runs on Linux only");
    return 1;
}

return await AgentProgram.RunAsync(args);
