using System.Net;
using System.Net.Sockets;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>Finds a free loopback TCP port by binding port 0.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
