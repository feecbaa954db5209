namespace Spiffe.Sidecar;

/// <summary>The sidecar configuration is invalid; the message lists every problem as <c>file:line: message</c>.</summary>
internal sealed class SidecarConfigException : Exception
{
    public SidecarConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
