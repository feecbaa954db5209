using System.CommandLine;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The filter flags <c>entry show</c> and <c>entry count</c> share.</summary>
internal sealed class EntryFilterFlags
{
    /// <summary><c>-parentID</c>.</summary>
    public Option<string> ParentId { get; } = new("-parentID", "--parentID") { Description = "The Parent ID of the records to show" };

    /// <summary><c>-spiffeID</c>.</summary>
    public Option<string> SpiffeId { get; } = new("-spiffeID", "--spiffeID") { Description = "The SPIFFE ID of the records to show" };

    /// <summary><c>-downstream</c>.</summary>
    public Option<bool> Downstream { get; } = new("-downstream", "--downstream") { Description = "When set, only entries that describe a downstream SPIRE server" };

    /// <summary><c>-selector</c> (repeatable).</summary>
    public Option<string[]> Selectors { get; } = new("-selector", "--selector") { Description = "A colon-delimited type:value selector. Can be used more than once" };

    /// <summary><c>-federatesWith</c> (repeatable).</summary>
    public Option<string[]> FederatesWith { get; } = new("-federatesWith", "--federatesWith") { Description = "SPIFFE ID of a trust domain an entry is federate with. Can be used more than once" };

    /// <summary><c>-matchFederatesWithOn</c>.</summary>
    public Option<string> MatchFederatesWithOn { get; } = new("-matchFederatesWithOn", "--matchFederatesWithOn")
    {
        Description = "The match mode used when filtering by federates with. Options: exact, any, superset and subset",
        DefaultValueFactory = _ => "superset",
    };

    /// <summary><c>-matchSelectorsOn</c>.</summary>
    public Option<string> MatchSelectorsOn { get; } = new("-matchSelectorsOn", "--matchSelectorsOn")
    {
        Description = "The match mode used when filtering by selectors. Options: exact, any, superset and subset",
        DefaultValueFactory = _ => "superset",
    };

    /// <summary><c>-hint</c>.</summary>
    public Option<string> Hint { get; } = new("-hint", "--hint") { Description = "The Hint of the records to show (optional)" };

    /// <summary>Adds every flag to the command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(this.ParentId);
        command.Options.Add(this.SpiffeId);
        command.Options.Add(this.Downstream);
        command.Options.Add(this.Selectors);
        command.Options.Add(this.FederatesWith);
        command.Options.Add(this.MatchFederatesWithOn);
        command.Options.Add(this.MatchSelectorsOn);
        command.Options.Add(this.Hint);
    }

    /// <summary>Builds the list filter the flags describe; flags not given do not filter.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="CliException">An ID, selector or match mode is malformed.</exception>
    public EntryApi.ListEntriesRequest.Types.Filter BuildFilter(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var filter = new EntryApi.ListEntriesRequest.Types.Filter();
        if (parseResult.GetValue(this.ParentId) is { Length: > 0 } parentId)
        {
            filter.ByParentId = Parse(parentId, "parent ID");
        }

        if (parseResult.GetValue(this.SpiffeId) is { Length: > 0 } spiffeId)
        {
            filter.BySpiffeId = Parse(spiffeId, "SPIFFE ID");
        }

        if (parseResult.GetValue(this.Selectors) is { Length: > 0 } selectors)
        {
            var match = new SelectorMatch { Match = SelectorParser.ParseMatch(parseResult.GetValue(this.MatchSelectorsOn)) };
            try
            {
                match.Selectors.AddRange(SelectorParser.ParseAll(selectors));
            }
            catch (CliException ex)
            {
                throw new CliException("error parsing selectors: " + ex.Message, ex);
            }

            filter.BySelectors = match;
        }

        if (parseResult.GetValue(this.FederatesWith) is { Length: > 0 } federatesWith)
        {
            var match = new FederatesWithMatch { Match = SelectorParser.ParseFederatesWithMatch(parseResult.GetValue(this.MatchFederatesWithOn)) };
            match.TrustDomains.AddRange(federatesWith);
            filter.ByFederatesWith = match;
        }

        if (parseResult.GetValue(this.Hint) is { Length: > 0 } hint)
        {
            filter.ByHint = hint;
        }

        if (parseResult.GetValue(this.Downstream))
        {
            filter.ByDownstream = true;
        }

        return filter;
    }

    private static SPIFFEID Parse(string id, string what)
    {
        try
        {
            return IdParser.ToProto(id);
        }
        catch (CliException ex)
        {
            throw new CliException($"error parsing {what} \"{id}\": {ex.Message}", ex);
        }
    }
}
