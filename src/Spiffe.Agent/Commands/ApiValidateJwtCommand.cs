using System.CommandLine;
using System.Text.Json;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>api validate jwt</c>: asks the Workload API to validate a JWT-SVID for an audience and prints
/// <c>SVID is valid.</c>, the SPIFFE ID and the claims (with <c>aud</c> as a list), or the reason it is not.
/// </summary>
internal sealed class ApiValidateJwtCommand : AgentCommand
{
    private readonly ClientOptions _client = new();
    private readonly Option<string> _audience = new("-audience", "--audience") { Description = "Audience value", Required = true };
    private readonly Option<string> _svid = new("-svid", "--svid") { Description = "JWT-SVID to validate", Required = true };

    /// <summary>Creates the command.</summary>
    public ApiValidateJwtCommand()
        : base("jwt", "Validates a JWT-SVID")
    {
        _client.AddTo(this);
        Options.Add(_audience);
        Options.Add(_svid);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var timeout = _client.Timeout(parseResult);
        try
        {
            var audience = parseResult.GetRequiredValue(_audience);
            var token = parseResult.GetRequiredValue(_svid);
            if (audience.Length == 0 || token.Length == 0)
            {
                throw new ArgumentException(audience.Length == 0 ? "audience must be specified" : "svid must be specified");
            }

            await using var client = _client.CreateClient(parseResult);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var svid = await client.ValidateJwtSvidAsync(token, audience, deadline.Token);
            var claims = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (name, value) in svid.Claims)
            {
                claims[name] = name == "aud" && value.ValueKind == JsonValueKind.String
                    ? JsonSerializer.SerializeToElement(new[] { value.GetString() })
                    : value;
            }

            var claimsJson = JsonSerializer.Serialize(claims);
            if (_client.IsJson(parseResult))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["spiffe_id"] = svid.Id.ToString(), ["claims"] = claims }));
            }
            else
            {
                await output.WriteLineAsync("SVID is valid.");
                await output.WriteLineAsync($"SPIFFE ID : {svid.Id}");
                await output.WriteLineAsync($"Claims    : {claimsJson}");
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
