namespace Spiffe.Server.Hosting;

/// <summary>Endpoint metadata restricting an endpoint to one listener (see <see cref="ListenerMatcherPolicy"/>).</summary>
/// <param name="Kind">The listener the endpoint is served on.</param>
internal sealed record ListenerMetadata(ListenerKind Kind);
