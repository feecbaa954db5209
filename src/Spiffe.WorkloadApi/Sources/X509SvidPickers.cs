using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>Ready-made values for <see cref="X509SourceOptions.SvidPicker"/>.</summary>
public static class X509SvidPickers
{
    /// <summary>Picks the first SVID whose hint equals <paramref name="hint"/>.</summary>
    /// <param name="hint">The hint the operator gave the registration entry.</param>
    /// <returns>The picker.</returns>
    public static Func<IReadOnlyList<X509Svid>, X509Svid?> ByHint(string hint)
    {
        ArgumentException.ThrowIfNullOrEmpty(hint);
        return svids => svids.FirstOrDefault(svid => string.Equals(svid.Hint, hint, StringComparison.Ordinal));
    }

    /// <summary>Picks the first SVID with the given SPIFFE ID.</summary>
    /// <param name="id">The SPIFFE ID.</param>
    /// <returns>The picker.</returns>
    public static Func<IReadOnlyList<X509Svid>, X509Svid?> ById(SpiffeId id)
    {
        if (id.IsZero)
        {
            throw new ArgumentException("the SPIFFE ID is the zero value", nameof(id));
        }

        return svids => svids.FirstOrDefault(svid => svid.Id == id);
    }
}
