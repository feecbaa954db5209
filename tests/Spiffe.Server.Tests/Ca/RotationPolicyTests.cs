using Spiffe.Server.Ca;

namespace Spiffe.Server.Tests.Ca;

[TestFixture]
public sealed class RotationPolicyTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(6);

    [TestCase(0, false, "None")]
    [TestCase(179, false, "None")]
    [TestCase(180, false, "PrepareNext")]
    [TestCase(180, true, "None")]
    [TestCase(299, true, "None")]
    [TestCase(300, true, "ActivateNext")]
    [TestCase(360, true, "ActivateNext")]
    [TestCase(360, false, "PrepareNext")]
    public void Decide_MinutesIntoSixHourLifetime_GivesStep(int minutes, bool hasNext, string expected)
    {
        // Act
        var step = RotationPolicy.Decide((Start, End), hasNext, Start.AddMinutes(minutes));

        // Assert
        Assert.That(step.ToString(), Is.EqualTo(expected));
    }

    [TestCase(false, "PrepareNext")]
    [TestCase(true, "ActivateNext")]
    public void Decide_NoCurrent_PreparesOrActivates(bool hasNext, string expected)
    {
        // Act
        var step = RotationPolicy.Decide(null, hasNext, Start);

        // Assert
        Assert.That(step.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ActivationTime_LongLifetime_IsCappedAtSevenDaysBeforeExpiry()
    {
        // Arrange
        var end = Start.AddDays(365);

        // Act
        var activation = RotationPolicy.ActivationTime(Start, end);

        // Assert
        Assert.That(activation, Is.EqualTo(end.AddDays(-7)));
    }

    [Test]
    public void PreparationTime_IsHalfLife()
    {
        // Act
        var preparation = RotationPolicy.PreparationTime(Start, End);

        // Assert
        Assert.That(preparation, Is.EqualTo(Start.AddHours(3)));
    }
}
