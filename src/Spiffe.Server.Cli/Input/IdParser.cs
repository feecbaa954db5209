using Spiffe.Core;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.Cli.Input;

/// <summary>Converts SPIFFE ID flags to and from the API's split form.</summary>
internal static class IdParser
{
    /// <summary>Parses a SPIFFE ID flag.</summary>
    /// <param name="text">The flag value.</param>
    /// <returns>The split ID.</returns>
    /// <exception cref="CliException">The value is not a SPIFFE ID.</exception>
    public static SPIFFEID ToProto(string text)
    {
        try
        {
            var id = SpiffeId.Parse(text);
            return new SPIFFEID { TrustDomain = id.TrustDomain.Name, Path = id.Path };
        }
        catch (SpiffeIdException ex)
        {
            throw new CliException(ex.Message, ex);
        }
    }

    /// <summary>Joins a split ID back into its string form, as spire-server prints it.</summary>
    /// <param name="id">The split ID, or null.</param>
    /// <returns><c>spiffe://td/path</c>, or empty for null.</returns>
    public static string Format(SPIFFEID? id) => id is null ? string.Empty : "spiffe://" + id.TrustDomain + id.Path;
}
