namespace Spiffe.Server.Config;

/// <summary>Log output format (<c>log_format</c>).</summary>
internal enum LogFormat
{
    /// <summary>Human-readable lines (<c>text</c>), the default.</summary>
    Text,

    /// <summary>One JSON object per line (<c>json</c>).</summary>
    Json,
}
