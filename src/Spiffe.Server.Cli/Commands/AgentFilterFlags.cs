using System.CommandLine;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.AdminApi;
using Spiffe.Server.Cli.Input;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The filter flags <c>agent list</c> and <c>agent count</c> share.</summary>
internal sealed class AgentFilterFlags
{
    /// <summary><c>-selector</c> (repeatable).</summary>
    public Option<string[]> Selectors { get; } = new("-selector", "--selector") { Description = "A colon-delimited type:value selector. Can be used more than once" };

    /// <summary><c>-attestationType</c>.</summary>
    public Option<string> AttestationType { get; } = new("-attestationType", "--attestationType") { Description = "Filter by attestation type, like join_token or x509pop." };

    /// <summary><c>-canReattest</c>.</summary>
    public Option<string> CanReattest { get; } = new("-canReattest", "--canReattest") { Description = "Filter based on string received, 'true': agents that can reattest, 'false': agents that can't reattest, other value will return all." };

    /// <summary><c>-banned</c>.</summary>
    public Option<string> Banned { get; } = new("-banned", "--banned") { Description = "Filter based on string received, 'true': banned agents, 'false': not banned agents, other value will return all." };

    /// <summary><c>-expiresBefore</c>.</summary>
    public Option<string> ExpiresBefore { get; } = new("-expiresBefore", "--expiresBefore") { Description = "Filter by expiration time (format: \"2006-01-02 15:04:05 -0700 -07\")" };

    /// <summary><c>-matchSelectorsOn</c>.</summary>
    public Option<string> MatchSelectorsOn { get; } = new("-matchSelectorsOn", "--matchSelectorsOn")
    {
        Description = "The match mode used when filtering by selectors. Options: exact, any, superset and subset",
        DefaultValueFactory = _ => "superset",
    };

    /// <summary>Adds every flag to the command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(this.Selectors);
        command.Options.Add(this.AttestationType);
        command.Options.Add(this.CanReattest);
        command.Options.Add(this.Banned);
        command.Options.Add(this.ExpiresBefore);
        command.Options.Add(this.MatchSelectorsOn);
    }

    /// <summary>Builds the list filter the flags describe; flags not given do not filter.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="CliException">A selector, match mode or date is malformed.</exception>
    public AgentApi.ListAgentsRequest.Types.Filter BuildFilter(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var filter = new AgentApi.ListAgentsRequest.Types.Filter
        {
            ByAttestationType = parseResult.GetValue(this.AttestationType) ?? string.Empty,
            ByCanReattest = TriState(parseResult.GetValue(this.CanReattest)),
            ByBanned = TriState(parseResult.GetValue(this.Banned)),
        };
        if (parseResult.GetValue(this.Selectors) is { Length: > 0 } selectors)
        {
            var match = new SelectorMatch { Match = SelectorParser.ParseMatch(parseResult.GetValue(this.MatchSelectorsOn)) };
            foreach (var text in selectors)
            {
                try
                {
                    match.Selectors.Add(SelectorParser.Parse(text));
                }
                catch (CliException ex)
                {
                    throw new CliException($"error parsing selector \"{text}\": {ex.Message}", ex);
                }
            }

            filter.BySelectorMatch = match;
        }

        if (parseResult.GetValue(this.ExpiresBefore) is { Length: > 0 } expiresBefore)
        {
            if (!ExpiresBeforeFormat.TryParse(expiresBefore, out _))
            {
                throw new CliException($"date is not valid: \"{expiresBefore}\" does not have the form \"{ExpiresBeforeFormat.Layout}\"");
            }

            filter.ByExpiresBefore = expiresBefore;
        }

        return filter;
    }

    private static bool? TriState(string? text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };
}
