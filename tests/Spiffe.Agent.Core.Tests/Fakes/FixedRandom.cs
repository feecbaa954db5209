namespace Spiffe.Agent.Core.Tests.Fakes;

/// <summary>A <see cref="Random"/> whose <see cref="NextDouble"/> always returns the same value.</summary>
internal sealed class FixedRandom : Random
{
    private readonly double _value;

    public FixedRandom(double value)
    {
        _value = value;
    }

    public override double NextDouble() => _value;

    protected override double Sample() => _value;
}
