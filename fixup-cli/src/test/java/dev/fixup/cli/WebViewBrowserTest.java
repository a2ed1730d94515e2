package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.debug.web.WebView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web view in headless Chromium (driven through chromedriver): the picker runs the efault
 * example, the timeline shows its ten kernel faults fixed up through the exception table (the same
 * ten {@code -d extable} prints), the table's hit counts add up to ten, and a click on a fault shows
 * the faulting instruction highlighted with the fixup code beside it. The page's screenshot is
 * kept as target/web-view.png.
 */
class WebViewBrowserTest {
    @Test
    void theEfaultExampleShowsItsTenFixupsAndAClickShowsTheFaultingInstruction(@TempDir Path profile) throws Exception {
        assumeTrue(Oracle.onPath("chromedriver") && (Oracle.onPath("chromium") || Oracle.onPath("chromium-browser")),
                "chromium and chromedriver are not installed (apt-get install chromium chromium-driver): browser test skipped");
        Path examples = Examples.root().resolve("examples");
        try (WebView web = WebView.start(0, WebCommand.programs(examples), WebCommand.launcher(examples));
             WebDriver browser = new WebDriver(profile)) {
            browser.open(web.url());
            assertEquals("false", browser.waitFor("return String(document.getElementById('picker').hidden)", "false", 10_000),
                    "the picker lists the examples");
            browser.script("document.getElementById('programs').value = 'efault.S'; return 'ok'");
            browser.click(browser.find("#run").get(0));
            assertEquals("exited", browser.waitFor("return document.body.dataset.status || ''", "exited", 60_000));
            assertEquals("10", browser.waitFor("return String(document.querySelectorAll('#faults tr.fault.kernel.fixed').length)", "10", 10_000),
                    "ten kernel faults fixed up");
            assertEquals("10", browser.waitFor("return String([...document.querySelectorAll('#extable td.hits')]"
                    + ".reduce((n, td) => n + Number(td.textContent), 0))", "10", 10_000), "the hit counts add up to ten");

            List<String> fixed = browser.find("#faults tr.fault.fixed");
            String row = browser.text(fixed.get(0));
            String eip = browser.script("return document.querySelector('#faults tr.fault.fixed').dataset.eip");
            assertTrue(row.contains(eip + " <__copy_user"), "a fault in the user-copy routines: " + row);
            browser.click(fixed.get(0));
            assertEquals("1", browser.waitFor("return String(document.querySelectorAll('#detail tr.current').length >= 1 ? 1 : 0)", "1", 10_000));
            String current = browser.text(browser.find("#detail tr.current").get(0));
            assertTrue(current.contains(eip), "the highlighted line is the faulting EIP " + eip + ": " + current + " (row: " + row + ")");
            assertTrue(current.contains("rep movs"), "the faulting instruction, disassembled: " + current);
            String detail = browser.text(browser.find("#detail").get(0));
            assertTrue(detail.contains("Fixup code (resumed at"), detail);
            assertTrue(detail.contains("EFAULT"), "the outcome: the syscall returned -EFAULT: " + detail);

            assertTrue(browser.text(browser.find("#tasks").get(0)).contains("efault.S"), "the task list as it was at exit");
            browser.script("document.getElementById('detail').scrollIntoView(); return 'ok'");
            Path shot = Path.of("target", "web-view.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
            assertTrue(Files.size(shot) > 10_000, "a screenshot was written");
        }
    }
}
