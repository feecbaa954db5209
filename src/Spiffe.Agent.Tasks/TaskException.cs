namespace Spiffe.Agent.Tasks;

/// <summary>A task operation was refused; the message says which rule failed.</summary>
internal sealed class TaskException : Exception
{
    public TaskException(TaskError error, string message)
        : base(message)
    {
        Error = error;
    }

    public TaskException(TaskError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The rule that failed.</summary>
    public TaskError Error { get; }
}
