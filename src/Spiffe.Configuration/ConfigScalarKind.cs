namespace Spiffe.Configuration;

/// <summary>The literal type of a <see cref="ConfigScalar"/>.</summary>
internal enum ConfigScalarKind
{
    /// <summary>A quoted string or heredoc.</summary>
    String,

    /// <summary>A number literal, kept as written.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,
}
