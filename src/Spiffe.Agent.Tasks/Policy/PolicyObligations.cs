namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Conditions an allowed request must meet; merged over all policies that allowed it (the strictest wins).</summary>
/// <param name="MaxTtl">Longest lifetime of a credential issued for the request, or <see langword="null"/> for no cap.</param>
internal sealed record PolicyObligations(TimeSpan? MaxTtl)
{
    /// <summary>No obligations.</summary>
    public static PolicyObligations None { get; } = new(MaxTtl: null);

    /// <summary>The obligations of both: the lower <see cref="MaxTtl"/>.</summary>
    public PolicyObligations Merge(PolicyObligations other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var maxTtl = (MaxTtl, other.MaxTtl) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            (var a, var b) => a ?? b,
        };
        return new PolicyObligations(maxTtl);
    }
}
