using System.CommandLine;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The entry-describing flags <c>entry create</c> and <c>entry update</c> share, with spire-server's spellings.</summary>
internal sealed class EntryFlags
{
    /// <summary>Creates the flags.</summary>
    /// <param name="forCreate">Adds <c>-node</c>, which only <c>entry create</c> has.</param>
    public EntryFlags(bool forCreate)
    {
        this.EntryId = new("-entryID", "--entryID")
        {
            Description = forCreate
                ? "A custom ID for this registration entry (optional). If not set, a new entry ID will be generated"
                : "The Registration Entry ID of the record to update",
        };
        if (forCreate)
        {
            this.Node = new("-node", "--node") { Description = "If set, this entry will be applied to matching nodes rather than workloads" };
        }
    }

    /// <summary><c>-entryID</c>.</summary>
    public Option<string> EntryId { get; }

    /// <summary><c>-node</c> (create only).</summary>
    public Option<bool>? Node { get; }

    /// <summary><c>-parentID</c>.</summary>
    public Option<string> ParentId { get; } = new("-parentID", "--parentID") { Description = "The SPIFFE ID of this record's parent" };

    /// <summary><c>-spiffeID</c>.</summary>
    public Option<string> SpiffeId { get; } = new("-spiffeID", "--spiffeID") { Description = "The SPIFFE ID that this record represents" };

    /// <summary><c>-x509SVIDTTL</c>.</summary>
    public Option<int> X509SvidTtl { get; } = new("-x509SVIDTTL", "--x509SVIDTTL") { Description = "The lifetime, in seconds, for x509-SVIDs issued based on this registration entry." };

    /// <summary><c>-jwtSVIDTTL</c>.</summary>
    public Option<int> JwtSvidTtl { get; } = new("-jwtSVIDTTL", "--jwtSVIDTTL") { Description = "The lifetime, in seconds, for JWT-SVIDs issued based on this registration entry." };

    /// <summary><c>-data</c>.</summary>
    public Option<string> Data { get; } = new("-data", "--data") { Description = "Path to a file containing registration JSON (optional). If set to '-', read the JSON from stdin." };

    /// <summary><c>-selector</c> (repeatable).</summary>
    public Option<string[]> Selectors { get; } = new("-selector", "--selector") { Description = "A colon-delimited type:value selector. Can be used more than once" };

    /// <summary><c>-federatesWith</c> (repeatable).</summary>
    public Option<string[]> FederatesWith { get; } = new("-federatesWith", "--federatesWith") { Description = "SPIFFE ID of a trust domain to federate with. Can be used more than once" };

    /// <summary><c>-admin</c>.</summary>
    public Option<bool> Admin { get; } = new("-admin", "--admin") { Description = "If set, the SPIFFE ID in this entry will be granted access to the server's management APIs" };

    /// <summary><c>-downstream</c>.</summary>
    public Option<bool> Downstream { get; } = new("-downstream", "--downstream") { Description = "A boolean value that, when set, indicates that the entry describes a downstream SPIRE server" };

    /// <summary><c>-storeSVID</c>.</summary>
    public Option<bool> StoreSvid { get; } = new("-storeSVID", "--storeSVID") { Description = "A boolean value that, when set, indicates that the resulting issued SVID from this entry must be stored through an SVIDStore plugin" };

    /// <summary><c>-entryExpiry</c>.</summary>
    public Option<long> EntryExpiry { get; } = new("-entryExpiry", "--entryExpiry") { Description = "An expiry, from epoch in seconds, for the resulting registration entry to be pruned" };

    /// <summary><c>-dns</c> (repeatable).</summary>
    public Option<string[]> DnsNames { get; } = new("-dns", "--dns") { Description = "A DNS name that will be included in SVIDs issued based on this entry, where appropriate. Can be used more than once" };

    /// <summary><c>-hint</c>.</summary>
    public Option<string> Hint { get; } = new("-hint", "--hint") { Description = "The entry hint, used to disambiguate entries with the same SPIFFE ID" };

    /// <summary><c>-disableX509SVIDPrefetch</c>.</summary>
    public Option<bool> DisableX509SvidPrefetch { get; } = new("-disableX509SVIDPrefetch", "--disableX509SVIDPrefetch") { Description = "A boolean value that, when set, disables prefetching X509 SVID for this entry" };

    /// <summary><c>-jwtSVIDIncludeJTI</c>.</summary>
    public Option<bool> JwtSvidIncludeJti { get; } = new("-jwtSVIDIncludeJTI", "--jwtSVIDIncludeJTI") { Description = "A boolean value that, when set, includes a unique 'jti' claim in JWT-SVIDs issued for this entry and bypasses the agent JWT-SVID cache" };

    /// <summary>Adds every flag to the command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(this.EntryId);
        command.Options.Add(this.ParentId);
        command.Options.Add(this.SpiffeId);
        command.Options.Add(this.X509SvidTtl);
        command.Options.Add(this.JwtSvidTtl);
        command.Options.Add(this.Data);
        command.Options.Add(this.Selectors);
        command.Options.Add(this.FederatesWith);
        if (this.Node is not null)
        {
            command.Options.Add(this.Node);
        }

        command.Options.Add(this.Admin);
        command.Options.Add(this.Downstream);
        command.Options.Add(this.StoreSvid);
        command.Options.Add(this.EntryExpiry);
        command.Options.Add(this.DnsNames);
        command.Options.Add(this.Hint);
        command.Options.Add(this.DisableX509SvidPrefetch);
        command.Options.Add(this.JwtSvidIncludeJti);
    }

    /// <summary>
    /// Builds the entry the flags describe, except <c>parent_id</c>, <c>store_svid</c> and the additional attributes,
    /// which create and update treat differently.
    /// </summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="spiffeId">The <c>-spiffeID</c> value.</param>
    /// <param name="selectors">The <c>-selector</c> values.</param>
    /// <param name="federatesWith">The <c>-federatesWith</c> values.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="CliException">A TTL is negative, or an ID or selector is malformed.</exception>
    public Entry BuildEntry(ParseResult parseResult, string spiffeId, string[] selectors, string[] federatesWith)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var x509SvidTtl = parseResult.GetValue(this.X509SvidTtl);
        var jwtSvidTtl = parseResult.GetValue(this.JwtSvidTtl);
        if (x509SvidTtl < 0)
        {
            throw new CliException("a positive x509-SVID TTL is required");
        }

        if (jwtSvidTtl < 0)
        {
            throw new CliException("a positive JWT-SVID TTL is required");
        }

        var entry = new Entry
        {
            Id = parseResult.GetValue(this.EntryId) ?? string.Empty,
            SpiffeId = IdParser.ToProto(spiffeId),
            Downstream = parseResult.GetValue(this.Downstream),
            ExpiresAt = parseResult.GetValue(this.EntryExpiry),
            X509SvidTtl = x509SvidTtl,
            JwtSvidTtl = jwtSvidTtl,
            Hint = parseResult.GetValue(this.Hint) ?? string.Empty,
            Admin = parseResult.GetValue(this.Admin),
        };
        entry.DnsNames.AddRange(parseResult.GetValue(this.DnsNames) ?? []);
        entry.Selectors.AddRange(SelectorParser.ParseAll(selectors));
        entry.FederatesWith.AddRange(federatesWith);
        return entry;
    }
}
