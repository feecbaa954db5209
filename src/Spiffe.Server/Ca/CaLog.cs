using Microsoft.Extensions.Logging;

namespace Spiffe.Server.Ca;

/// <summary>CA log messages (event IDs 1200–1299). Never logs key material.</summary>
internal static partial class CaLog
{
    [LoggerMessage(EventId = 1200, EventName = "X509CaPrepared", Level = LogLevel.Information,
        Message = "Prepared next X.509 CA {Thumbprint} (expires {NotAfter:o}) and published it in the bundle")]
    public static partial void X509CaPrepared(ILogger logger, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1201, EventName = "X509CaActivated", Level = LogLevel.Information,
        Message = "Activated X.509 CA {Thumbprint} (expires {NotAfter:o})")]
    public static partial void X509CaActivated(ILogger logger, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1202, EventName = "SigningKeyPrepared", Level = LogLevel.Information,
        Message = "Prepared next {Kind} signing key {KeyId} (expires {NotAfter:o}) and published it in the bundle")]
    public static partial void SigningKeyPrepared(ILogger logger, string kind, string keyId, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1203, EventName = "SigningKeyActivated", Level = LogLevel.Information,
        Message = "Activated {Kind} signing key {KeyId} (expires {NotAfter:o})")]
    public static partial void SigningKeyActivated(ILogger logger, string kind, string keyId, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1204, EventName = "BundlePruned", Level = LogLevel.Information,
        Message = "Pruned {X509Count} expired X.509 and {JwtCount} expired JWT authorities from the bundle")]
    public static partial void BundlePruned(ILogger logger, int x509Count, int jwtCount);

    [LoggerMessage(EventId = 1205, EventName = "RotationFailed", Level = LogLevel.Error,
        Message = "CA rotation failed; retrying")]
    public static partial void RotationFailed(ILogger logger, Exception exception);
}
