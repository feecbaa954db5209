namespace Spiffe.Configuration.Tests;

[TestFixture]
public sealed class GoDurationTests
{
    private static readonly TimeSpan MaxGoDuration = TimeSpan.FromTicks(long.MaxValue / 100);

    private static IEnumerable<TestCaseData> ValidDurations()
    {
        yield return new TestCaseData("0", TimeSpan.Zero);
        yield return new TestCaseData("-0", TimeSpan.Zero);
        yield return new TestCaseData("+0", TimeSpan.Zero);
        yield return new TestCaseData("0s", TimeSpan.Zero);
        yield return new TestCaseData("5s", TimeSpan.FromSeconds(5));
        yield return new TestCaseData("90s", TimeSpan.FromSeconds(90));
        yield return new TestCaseData("1478s", TimeSpan.FromSeconds(1478));
        yield return new TestCaseData("-5s", TimeSpan.FromSeconds(-5));
        yield return new TestCaseData("+5s", TimeSpan.FromSeconds(5));
        yield return new TestCaseData("5m", TimeSpan.FromMinutes(5));
        yield return new TestCaseData("1h", TimeSpan.FromHours(1));
        yield return new TestCaseData("24h", TimeSpan.FromHours(24));
        yield return new TestCaseData("1h30m", TimeSpan.FromMinutes(90));
        yield return new TestCaseData("300ms", TimeSpan.FromMilliseconds(300));
        yield return new TestCaseData("11us", TimeSpan.FromMicroseconds(11));
        yield return new TestCaseData("11\u00B5s", TimeSpan.FromMicroseconds(11));
        yield return new TestCaseData("11\u03BCs", TimeSpan.FromMicroseconds(11));
        yield return new TestCaseData("100ns", TimeSpan.FromTicks(1));
        yield return new TestCaseData("199ns", TimeSpan.FromTicks(1));
        yield return new TestCaseData("5.0s", TimeSpan.FromSeconds(5));
        yield return new TestCaseData("5.6s", TimeSpan.FromMilliseconds(5600));
        yield return new TestCaseData("5.s", TimeSpan.FromSeconds(5));
        yield return new TestCaseData(".5s", TimeSpan.FromMilliseconds(500));
        yield return new TestCaseData("1.004s", TimeSpan.FromMilliseconds(1004));
        yield return new TestCaseData("100.00100s", TimeSpan.FromMilliseconds(100_001));
        yield return new TestCaseData("1.5h", TimeSpan.FromMinutes(90));
        yield return new TestCaseData("10.5s4m", TimeSpan.FromSeconds(250.5));
        yield return new TestCaseData("-2m3.4s", TimeSpan.FromSeconds(-123.4));
        yield return new TestCaseData("1h2m3s4ms5us600ns", new TimeSpan(0, 1, 2, 3, 4, 5) + TimeSpan.FromTicks(6));
        yield return new TestCaseData("39h9m14.425s", new TimeSpan(1, 15, 9, 14, 425));
        yield return new TestCaseData("0.3333333333333333333h", TimeSpan.FromMinutes(20));
        yield return new TestCaseData("0.100000000000000000000h", TimeSpan.FromMinutes(6));
        yield return new TestCaseData("9223372036854775807ns", MaxGoDuration);
        yield return new TestCaseData("9223372036854775.807us", MaxGoDuration);
        yield return new TestCaseData("9223372036854ms775us807ns", MaxGoDuration);
        yield return new TestCaseData("-9223372036854775808ns", TimeSpan.FromTicks(long.MinValue / 100));
    }

    private static IEnumerable<TestCaseData> InvalidDurations() =>
        new[]
        {
            "", "3", "1000", "-", "+", "s", ".", "-.", ".s", "+.s", "1d", "1 h", "1h ", " 1h", "1H", "1h-5m", "1e3s",
            "3000000h", "9223372036854775808ns", "9223372036854775.808us", "9223372036854ms775us808ns",
            "-9223372036854775809ns",
        }.Select(text => new TestCaseData(text));

    [TestCaseSource(nameof(ValidDurations))]
    public void TryParse_ValidGoDuration_ReturnsValue(string text, TimeSpan expected)
    {
        // Act
        var parsed = GoDuration.TryParse(text, out var value);

        // Assert
        Assert.That(parsed, Is.True);
        Assert.That(value, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(InvalidDurations))]
    public void TryParse_InvalidGoDuration_ReturnsFalse(string text)
    {
        // Act
        var parsed = GoDuration.TryParse(text, out var value);

        // Assert
        Assert.That(parsed, Is.False);
        Assert.That(value, Is.EqualTo(TimeSpan.Zero));
    }
}
