using Microsoft.Extensions.Logging;

namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>One captured log record.</summary>
/// <param name="Category">Logger category.</param>
/// <param name="Level">Level.</param>
/// <param name="EventName">The <c>[LoggerMessage]</c> event name.</param>
/// <param name="Message">The formatted message.</param>
public sealed record CapturedLog(string Category, LogLevel Level, string? EventName, string Message);
