using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary><c>validate</c>: loads a config file with every rule <c>run</c> applies and reports the result.</summary>
internal sealed class ValidateCommand : AgentCommand
{
    private readonly ConfigOptions _config = new();

    /// <summary>Creates the command.</summary>
    public ValidateCommand()
        : base("validate", "Validates a SPIRE agent configuration file with spiffe-agent's rules")
    {
        _config.AddTo(this);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var invocation = parseResult.InvocationConfiguration;
        if (await _config.TryLoadAsync(parseResult, invocation.Error) is null)
        {
            return ExitCodes.InvalidConfiguration;
        }

        await invocation.Output.WriteLineAsync("spiffe-agent configuration file is valid.");
        return ExitCodes.Success;
    }
}
