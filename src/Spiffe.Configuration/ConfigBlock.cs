namespace Spiffe.Configuration;

/// <summary>
/// One labelled block such as <c>NodeAttestor "join_token" { … }</c>, found by <see cref="ConfigSection.GetLabelledBlocks"/>.
/// </summary>
/// <param name="Type">The block type as written, e.g. <c>NodeAttestor</c>.</param>
/// <param name="Label">The label, e.g. <c>join_token</c>.</param>
/// <param name="Body">The block's contents; its <see cref="ConfigSection.Location"/> is the label's.</param>
internal sealed record ConfigBlock(string Type, string Label, ConfigSection Body);
