using System.Globalization;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli.Output;

/// <summary>Prints registration entries in spire-server's pretty layout: labels padded to 24 columns, then <c>: </c>.</summary>
internal static class EntryPrinter
{
    /// <summary>Prints one entry followed by a blank line.</summary>
    /// <param name="writer">Where to print.</param>
    /// <param name="entry">The entry.</param>
    public static void Print(TextWriter writer, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        Line(writer, "Entry ID", entry.Id.Length == 0 ? "(none)" : entry.Id);
        Line(writer, "SPIFFE ID", IdParser.Format(entry.SpiffeId));
        Line(writer, "Parent ID", IdParser.Format(entry.ParentId));
        Line(writer, "Revision", entry.RevisionNumber.ToString(CultureInfo.InvariantCulture));
        if (entry.Downstream)
        {
            Line(writer, "Downstream", "true");
        }

        Line(writer, "X509-SVID TTL", Ttl(entry.X509SvidTtl));
        Line(writer, "JWT-SVID TTL", Ttl(entry.JwtSvidTtl));
        if (entry.ExpiresAt != 0)
        {
            Line(writer, "Expiration time", GoTime.FormatUtc(entry.ExpiresAt));
        }

        foreach (var selector in entry.Selectors)
        {
            Line(writer, "Selector", selector.Type + ":" + selector.Value);
        }

        foreach (var trustDomain in entry.FederatesWith)
        {
            Line(writer, "FederatesWith", trustDomain);
        }

        foreach (var dnsName in entry.DnsNames)
        {
            Line(writer, "DNS name", dnsName);
        }

        if (entry.Admin)
        {
            Line(writer, "Admin", "true");
        }

        if (entry.StoreSvid)
        {
            Line(writer, "StoreSvid", "true");
        }

        if (entry.Hint.Length > 0)
        {
            Line(writer, "Hint", entry.Hint);
        }

        if (entry.AdditionalAttributes is { } attributes)
        {
            if (attributes.DisableX509SvidPrefetch)
            {
                Line(writer, "DisableX509SvidPrefetch", "true");
            }

            if (attributes.JwtSvidIncludeJti)
            {
                Line(writer, "JwtSvidIncludeJti", "true");
            }
        }

        writer.WriteLine();
    }

    /// <summary>Prints <c>Found N entry|entries</c> and then every entry.</summary>
    /// <param name="writer">Where to print.</param>
    /// <param name="entries">The entries.</param>
    public static void PrintFound(TextWriter writer, IReadOnlyCollection<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entries);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Found {entries.Count} {(entries.Count == 1 ? "entry" : "entries")}"));
        foreach (var entry in entries)
        {
            Print(writer, entry);
        }
    }

    private static string Ttl(int seconds) => seconds == 0 ? "default" : seconds.ToString(CultureInfo.InvariantCulture);

    private static void Line(TextWriter writer, string label, string value) => writer.WriteLine(label.PadRight(24) + ": " + value);
}
