using Spiffe.Server.AdminApi;

namespace Spiffe.Server.Tests.AdminApi;

[TestFixture]
public sealed class ExpiresBeforeFormatTests
{
    [TestCase("2030-01-02 15:04:05 +0000 +00", 1893596645)]
    [TestCase("2030-01-02 17:04:05 +0200 +02", 1893596645)]
    [TestCase("2030-01-02 10:04:05 -0500 -05", 1893596645)]
    public void TryParse_GoLayout_ReadsTheInstant(string text, long unixSeconds)
    {
        // Act
        var parsed = ExpiresBeforeFormat.TryParse(text, out var value);

        // Assert
        Assert.That(parsed, Is.True);
        Assert.That(value.ToUnixTimeSeconds(), Is.EqualTo(unixSeconds));
    }

    [TestCase("2030-01-02T15:04:05Z")]
    [TestCase("2030-01-02 15:04:05 +0000")]
    [TestCase("2030-13-02 15:04:05 +0000 +00")]
    [TestCase("")]
    public void TryParse_OtherText_Fails(string text)
    {
        // Act / Assert
        Assert.That(ExpiresBeforeFormat.TryParse(text, out _), Is.False);
    }
}
