namespace Spiffe.Agent.Tasks.Policy;

/// <summary>State of one policy file after the latest reload.</summary>
internal enum PolicyFileState
{
    /// <summary>The file's current content is in force.</summary>
    Loaded,

    /// <summary>The current content is invalid; the last valid version of the file stays in force.</summary>
    InvalidKeepingPrevious,

    /// <summary>The content is invalid and there is no valid version to fall back on: every request is denied.</summary>
    InvalidDenyingAll,
}
