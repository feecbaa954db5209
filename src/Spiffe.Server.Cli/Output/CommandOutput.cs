using Google.Protobuf;

namespace Spiffe.Server.Cli.Output;

/// <summary>Where and how a command prints: stdout and stderr writers plus the <c>-output</c> format.</summary>
internal sealed class CommandOutput
{
    /// <summary>Creates the output.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="format">The chosen format.</param>
    public CommandOutput(TextWriter output, TextWriter error, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        this.Out = output;
        this.Error = error;
        this.Format = format;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The chosen format.</summary>
    public OutputFormat Format { get; }

    /// <summary>Whether the result is printed as JSON.</summary>
    public bool IsJson => this.Format == OutputFormat.Json;

    /// <summary>Prints a response message as one line of proto JSON on stdout.</summary>
    /// <param name="message">The response.</param>
    public void WriteJson(IMessage message) => this.Out.WriteLine(ProtoJson.Format(message));
}
