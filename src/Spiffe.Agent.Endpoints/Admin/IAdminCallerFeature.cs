namespace Spiffe.Agent.Endpoints.Admin;

/// <summary>The peer credentials of an admin connection, read once when it was accepted.</summary>
internal interface IAdminCallerFeature
{
    /// <summary>The caller's effective UID.</summary>
    uint Uid { get; }

    /// <summary>The caller's PID.</summary>
    int Pid { get; }
}
