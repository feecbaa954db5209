namespace Spiffe.Agent.Core.Tasks;

/// <summary>A task operation was refused or failed; <see cref="Error"/> says how, the message says which rule.</summary>
internal sealed class TaskControlException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskControlException(TaskControlError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates the exception with its cause.</summary>
    public TaskControlException(TaskControlError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The failure class.</summary>
    public TaskControlError Error { get; }
}
