using System.Text;
using System.Text.Json;

namespace Spiffe.Configuration.Tests;

/// <summary>Prints a tree without locations, so trees parsed from different syntaxes can be compared.</summary>
internal static class ConfigTreePrinter
{
    public static string Print(ConfigValue value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, ConfigValue value)
    {
        switch (value)
        {
            case ConfigScalar { Kind: ConfigScalarKind.String } scalar:
                builder.Append(JsonSerializer.Serialize(scalar.Text));
                break;
            case ConfigScalar scalar:
                builder.Append(scalar.Kind).Append(':').Append(scalar.Text);
                break;
            case ConfigList list:
                builder.Append('[');
                foreach (var item in list.Items)
                {
                    Append(builder, item);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case ConfigObject obj:
                builder.Append('{');
                foreach (var entry in obj.Entries)
                {
                    builder.Append(entry.Key).Append('=');
                    Append(builder, entry.Value);
                    builder.Append(';');
                }

                builder.Append('}');
                break;
        }
    }
}
