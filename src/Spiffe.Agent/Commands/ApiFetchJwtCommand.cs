using System.CommandLine;
using System.Text;
using System.Text.Json;
using Spiffe.Core;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>api fetch jwt</c>: fetches JWT-SVIDs for the given audiences (all of the caller's identities, or the one named by
/// <c>-spiffeID</c>) and the JWT bundles, printing <c>token(&lt;id&gt;):</c> and <c>bundle(&lt;td&gt;):</c> blocks.
/// </summary>
internal sealed class ApiFetchJwtCommand : AgentCommand
{
    private readonly ClientOptions _client = new();
    private readonly Option<string[]> _audience = AudienceOption.Create("Comma separated list of audience values");
    private readonly Option<string?> _spiffeId = new("-spiffeID", "--spiffeID") { Description = "SPIFFE ID subject (optional)" };

    /// <summary>Creates the command.</summary>
    public ApiFetchJwtCommand()
        : base("jwt", "Fetches a JWT-SVID from the Workload API")
    {
        _client.AddTo(this);
        Options.Add(_audience);
        Options.Add(_spiffeId);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var timeout = _client.Timeout(parseResult);
        var audiences = parseResult.GetRequiredValue(_audience);
        try
        {
            if (audiences.Length == 0)
            {
                throw new ArgumentException("audience must be specified");
            }

            SpiffeId? subject = parseResult.GetValue(_spiffeId) is { Length: > 0 } id
                ? SpiffeId.TryParse(id, out var parsed) ? parsed : throw new ArgumentException($"invalid -spiffeID \"{id}\"")
                : null;
            await using var client = _client.CreateClient(parseResult);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var svids = await client.FetchJwtSvidsAsync(audiences[0], audiences[1..], subject, deadline.Token);
            var bundles = await client.FetchJwtBundlesAsync(deadline.Token);
            if (_client.IsJson(parseResult))
            {
                var json = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["svids"] = svids.Select(s => new Dictionary<string, string> { ["spiffe_id"] = s.Id.ToString(), ["svid"] = s.Token, ["hint"] = s.Hint }).ToList(),
                    },
                    new Dictionary<string, object>
                    {
                        ["bundles"] = bundles.Bundles.ToDictionary(b => b.TrustDomain.IdString, b => Convert.ToBase64String(b.Marshal())),
                    },
                };
                await output.WriteLineAsync(JsonSerializer.Serialize(json));
                return ExitCodes.Success;
            }

            foreach (var svid in svids)
            {
                await output.WriteLineAsync($"token({svid.Id}):\n\t{svid.Token}");
            }

            foreach (var bundle in bundles.Bundles)
            {
                await output.WriteLineAsync($"bundle({bundle.TrustDomain.IdString}):\n\t{Encoding.UTF8.GetString(bundle.Marshal())}");
            }

            return ExitCodes.Success;
        }
        catch (Exception ex) when (ClientErrors.IsClientFailure(ex))
        {
            await error.WriteLineAsync("Error: " + ClientErrors.Describe(ex, timeout));
            return ExitCodes.Failure;
        }
    }
}
