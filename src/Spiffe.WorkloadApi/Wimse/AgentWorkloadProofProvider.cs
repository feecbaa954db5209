using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;

namespace Spiffe.WorkloadApi;

/// <summary>
/// An <see cref="IWorkloadProofProvider"/> backed by the agent's signing oracle
/// (<c>spiffe.agent.proof.v1.WorkloadProof/CreateProof</c> on the Workload API socket, with the security header): the
/// agent picks the caller's WIT-SVID, signs the proof with its key and returns both, so the key never enters this
/// process. Works whether or not the agent hands out WIT keys. Every call is one round trip to the agent and returns a
/// fresh proof (a new <c>jti</c>). Thread-safe.
/// </summary>
/// <remarks>
/// The agent identifies the caller from the kernel, as for every Workload API call, and refuses with
/// <see cref="Grpc.Core.StatusCode.PermissionDenied"/> a caller entitled to no WIT-SVID (for example a process whose task
/// has ended), with <see cref="Grpc.Core.StatusCode.InvalidArgument"/> a target URI that is not an absolute http(s) URI
/// without user info, query or fragment, and with <see cref="Grpc.Core.StatusCode.Unimplemented"/> when it issues no
/// WIT-SVIDs; each surfaces as <see cref="WorkloadApiException"/>.
/// </remarks>
public sealed class AgentWorkloadProofProvider : IWorkloadProofProvider
{
    private readonly WorkloadApiClient client;

    /// <summary>Creates a provider over a client; the provider does not dispose it.</summary>
    /// <param name="client">The Workload API client of the agent to ask.</param>
    public AgentWorkloadProofProvider(WorkloadApiClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
    }

    /// <summary>Which of the caller's identities to prove; null (the default) for the agent's default identity.</summary>
    /// <exception cref="ArgumentException">The value is the zero SPIFFE ID.</exception>
    public SpiffeId? Subject
    {
        get;
        init => field = value is { IsZero: true } ? throw new ArgumentException("the subject is the zero SPIFFE ID", nameof(value)) : value;
    }

    /// <summary>
    /// The lifetime to ask for; null (the default) lets the agent choose. The agent caps it at its own maximum
    /// (60 seconds unless configured otherwise).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is under 1 second or over <see cref="WorkloadProofToken.MaxLifetime"/>.</exception>
    public TimeSpan? Lifetime
    {
        get;
        init
        {
            if (value is { } lifetime)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.FromSeconds(1));
                ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, WorkloadProofToken.MaxLifetime);
            }

            field = value;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="WorkloadApiException">The agent refused or the call failed; <see cref="WorkloadApiException.StatusCode"/> says how.</exception>
    public async ValueTask<WorkloadProof> CreateProofAsync(WorkloadProofRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new CreateProofRequest
        {
            TargetUri = request.TargetUri,
            Method = request.Method,
            SpiffeId = this.Subject?.ToString() ?? string.Empty,
            AccessToken = request.AccessToken ?? string.Empty,
            TxnToken = request.TransactionToken ?? string.Empty,
            LifetimeSeconds = this.Lifetime is { } lifetime ? (uint)Math.Ceiling(lifetime.TotalSeconds) : 0,
        };
        foreach (var (name, value) in request.OtherTokens ?? new Dictionary<string, string>())
        {
            call.OtherTokens[name] = value;
        }

        var response = await this.client.CreateProofAsync(call, cancellationToken);
        if (response.Wit.Length == 0 || response.Wpt.Length == 0 || !SpiffeId.TryParse(response.SpiffeId, out var id))
        {
            throw new WorkloadApiException("invalid CreateProof response: the WIT, the proof or the SPIFFE ID is missing or malformed");
        }

        if (this.Subject is { } subject && id != subject)
        {
            throw new WorkloadApiException($"invalid CreateProof response: the agent proved {id}, not the requested {subject}");
        }

        return new WorkloadProof(response.Wit, response.Wpt, id, DateTimeOffset.FromUnixTimeSeconds(response.WptExpiresAt));
    }
}
