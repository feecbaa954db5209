namespace Spiffe.Server.Cli.Output;

/// <summary>The <c>-output</c> flag: how a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>Human-readable text laid out as spire-server prints it.</summary>
    Pretty,

    /// <summary>The response messages as proto JSON with the original field names.</summary>
    Json,
}
