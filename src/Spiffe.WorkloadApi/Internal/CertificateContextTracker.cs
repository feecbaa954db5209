using System.Net.Security;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// Keeps <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/> equal to the current SVID of an
/// <see cref="X509Source"/>: set now and again after every update, so the next handshake presents the new SVID. The
/// options object is held weakly, so tracking never keeps it alive; the subscription removes itself at the first
/// update after the options object is gone.
/// </summary>
internal static class CertificateContextTracker
{
    public static void Track(X509Source source, SslServerAuthenticationOptions options)
    {
        var target = new WeakReference<SslServerAuthenticationOptions>(options);
        var gate = new Lock();
        EventHandler? handler = null;
        handler = (_, _) =>
        {
            if (target.TryGetTarget(out var live))
            {
                Apply(source, live, gate);
            }
            else
            {
                source.Updated -= handler;
            }
        };
        source.Updated += handler;
        Apply(source, options, gate);
    }

    private static void Apply(X509Source source, SslServerAuthenticationOptions options, Lock gate)
    {
        lock (gate)
        {
            options.ServerCertificateContext = SvidCredentials.Get(source.GetX509Svid()).Context;
        }
    }
}
