namespace Spiffe.Configuration;

/// <summary>The kinds of token in SPIRE's HCL v1 subset.</summary>
internal enum HclTokenKind
{
    Identifier,
    String,
    Number,
    Bool,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    Equals,
    Comma,
    EndOfFile,
}
