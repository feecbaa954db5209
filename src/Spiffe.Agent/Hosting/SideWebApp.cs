using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Hosting;

namespace Spiffe.Agent.Hosting;

/// <summary>A minimal HTTP/1.1 web host on one TCP address, for the health-check and Prometheus listeners.</summary>
internal static class SideWebApp
{
    /// <summary>Creates a web host bound to <paramref name="address"/>:<paramref name="port"/> that logs through <paramref name="loggerFactory"/>.</summary>
    /// <exception cref="ArgumentException">The address is neither <c>localhost</c> nor an IP address.</exception>
    public static WebApplication Create(string address, int port, ILoggerFactory loggerFactory, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "spiffe-agent" });
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, EmbeddedHostLifetime>());
        builder.Services.AddRoutingCore();
        configureServices?.Invoke(builder.Services);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(port);
            }
            else if (IPAddress.TryParse(address, out var ip))
            {
                kestrel.Listen(ip, port);
            }
            else
            {
                throw new ArgumentException($"bind address \"{address}\" must be localhost or an IP address", nameof(address));
            }
        });
        return builder.Build();
    }
}
