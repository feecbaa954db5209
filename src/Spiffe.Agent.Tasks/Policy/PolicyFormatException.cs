namespace Spiffe.Agent.Tasks.Policy;

/// <summary>A policy file is not valid; the message says what is wrong.</summary>
internal sealed class PolicyFormatException : Exception
{
    public PolicyFormatException(string message)
        : base(message)
    {
    }

    public PolicyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
