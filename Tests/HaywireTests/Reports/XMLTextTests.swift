import Testing
@testable import Haywire

@Suite struct XMLTextTests {
    @Test func markupIsEscapedAndWhatXMLForbidsIsDropped() {
        #expect(XMLText.escape("a < b && c > \"d\" 'e'") == "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;")
        #expect(XMLText.escape("bell\u{7}\u{0}\tand\nlines\r") == "bell\tand\nlines\r")
        // U+FFFE and U+FFFF are not XML characters; U+FFFD and the rest of Unicode are.
        #expect(XMLText.escape("x\u{FFFE}y\u{FFFF}z\u{FFFD}ü✓𝄞") == "xyz\u{FFFD}ü✓𝄞")
        #expect(XMLText.escape("plain text, untouched") == "plain text, untouched")
    }

    @Test func attributesKeepLineBreaksAndTabsAsReferences() {
        #expect(XMLText.attribute("one\ntwo\tthree\r<") == "one&#10;two&#9;three&#13;&lt;")
        #expect(XMLText.attribute("plain") == "plain")
    }
}
