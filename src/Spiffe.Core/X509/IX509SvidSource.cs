namespace Spiffe.Core;

/// <summary>Supplies the current X509-SVID.</summary>
public interface IX509SvidSource
{
    /// <summary>Returns the current X509-SVID.</summary>
    /// <returns>The SVID.</returns>
    X509Svid GetX509Svid();
}
