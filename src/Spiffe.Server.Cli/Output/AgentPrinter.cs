using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli.Output;

/// <summary>Prints attested agents in spire-server's pretty layout: labels padded to 18 columns, then <c>: </c>.</summary>
internal static class AgentPrinter
{
    /// <summary>Prints one agent followed by a blank line.</summary>
    /// <param name="writer">Where to print.</param>
    /// <param name="agent">The agent.</param>
    public static void Print(TextWriter writer, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(agent);
        Line(writer, "SPIFFE ID", IdParser.Format(agent.Id));
        Line(writer, "Attestation type", agent.AttestationType);
        Line(writer, "Expiration time", GoTime.FormatUtc(agent.X509SvidExpiresAt));
        if (agent.Banned)
        {
            Line(writer, "Banned", "true");
        }
        else
        {
            Line(writer, "Serial number", agent.X509SvidSerialNumber);
        }

        Line(writer, "Can re-attest", agent.CanReattest ? "true" : "false");
        if (agent.AgentVersion.Length > 0)
        {
            Line(writer, "Agent version", agent.AgentVersion);
        }

        writer.WriteLine();
    }

    /// <summary>Prints the agent's node selectors, one line each.</summary>
    /// <param name="writer">Where to print.</param>
    /// <param name="agent">The agent.</param>
    public static void PrintSelectors(TextWriter writer, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(agent);
        foreach (var selector in agent.Selectors)
        {
            Line(writer, "Selectors", selector.Type + ":" + selector.Value);
        }
    }

    private static void Line(TextWriter writer, string label, string value) => writer.WriteLine(label.PadRight(18) + ": " + value);
}
