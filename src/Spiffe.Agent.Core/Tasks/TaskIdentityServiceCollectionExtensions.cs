using Microsoft.Extensions.DependencyInjection;

namespace Spiffe.Agent.Core.Tasks;

/// <summary>Registers the back-end side of task-bound identities.</summary>
internal static class TaskIdentityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="options"/>, <see cref="IAdminSvidSource"/> and <see cref="ITaskIdentityCache"/>. Needs
    /// <c>AddAgentCore</c>.
    /// </summary>
    public static IServiceCollection AddTaskIdentityCore(this IServiceCollection services, TaskIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<AdminSvidSource>();
        services.AddSingleton<IAdminSvidSource>(sp => sp.GetRequiredService<AdminSvidSource>());
        services.AddSingleton<ITaskIdentityCache, TaskIdentityCache>();
        return services;
    }
}
