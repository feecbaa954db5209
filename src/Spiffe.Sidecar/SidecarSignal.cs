namespace Spiffe.Sidecar;

/// <summary>The signals <c>renew_signal</c> may name; the values are the Linux signal numbers.</summary>
internal enum SidecarSignal
{
    /// <summary>SIGHUP: the usual "reload your configuration".</summary>
    Hangup = 1,

    /// <summary>SIGINT.</summary>
    Interrupt = 2,

    /// <summary>SIGQUIT.</summary>
    Quit = 3,

    /// <summary>SIGKILL.</summary>
    Kill = 9,

    /// <summary>SIGUSR1.</summary>
    User1 = 10,

    /// <summary>SIGUSR2.</summary>
    User2 = 12,

    /// <summary>SIGTERM.</summary>
    Terminate = 15,
}
