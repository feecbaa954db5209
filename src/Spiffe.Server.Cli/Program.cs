using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spiffe.Server.Cli;
using Spiffe.Server.Cli.Input;

var services = new ServiceCollection();
services.AddServerCli(new StandardInput(() => Console.In));
await using var provider = services.BuildServiceProvider();
return await provider.GetRequiredService<RootCommand>()
    .Parse(args, CliParser.Configuration)
    .InvokeAsync(CliParser.CreateInvocationConfiguration());
