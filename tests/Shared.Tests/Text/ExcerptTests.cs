using StorageHa.Shared.Text;

namespace StorageHa.Shared.Tests.Text;

public sealed class ExcerptTests
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("exactly10!", 10, "exactly10!")]
    [InlineData("eleven char", 10, "eleven cha…")]
    [InlineData("", 3, "")]
    public void Of_KeepsTheStart_AndMarksWhatWasLeftOut(string text, int max, string expected) =>
        Assert.Equal(expected, Excerpt.Of(text, max));

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("line 1\nline 2\nexit 3", 6, "…exit 3")]
    public void Tail_KeepsTheEnd_AndMarksWhatWasLeftOut(string text, int max, string expected) =>
        Assert.Equal(expected, Excerpt.Tail(text, max));

    [Theory]
    [InlineData("one line", 20, "one line")]
    [InlineData("one line\n", 20, "one line")]
    [InlineData("first\nsecond", 20, "first…")]
    [InlineData("a rather long first line", 10, "a rather l…")]
    [InlineData("a rather  long first line", 10, "a rather…")]
    public void FirstLine_IsMarked_WhenTheLineIsCutOrMoreLinesFollow(string text, int max, string expected) =>
        Assert.Equal(expected, Excerpt.FirstLine(text, max));

    [Theory]
    [InlineData("node1 did not answer within 12 s", 15, "node1 did not…")]
    [InlineData("unbrokenwordlongerthanthelimit", 10, "unbrokenwo…")]
    public void FirstLine_AtWord_CutsAtTheLastSpaceBeforeTheLimit(string text, int max, string expected) =>
        Assert.Equal(expected, Excerpt.FirstLine(text, max, atWord: true));
}
