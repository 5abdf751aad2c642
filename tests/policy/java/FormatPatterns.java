// The oracle for tests/policy/java-date-format-oracle.test.ts: java.time itself. Reads lines of
// "<epoch ms>\t<pattern>" and prints, per line, "ok\t<formatted>" or "error\t<message>", formatting in UTC with
// Locale.US, as we assume Firehose formats `!{timestamp:PATTERN}`.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

public class FormatPatterns {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    String line;
    while ((line = in.readLine()) != null) {
      int tab = line.indexOf('\t');
      long epochMs = Long.parseLong(line.substring(0, tab));
      String pattern = line.substring(tab + 1);
      DateTimeFormatter formatter;
      try {
        formatter = DateTimeFormatter.ofPattern(pattern, Locale.US);
      } catch (IllegalArgumentException e) {
        out.println("refused\t" + String.valueOf(e.getMessage()).replace("\n", " "));
        continue;
      } catch (RuntimeException e) {
        out.println("error\t" + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace("\n", " "));
        continue;
      }
      try {
        String text = formatter.format(Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC));
        out.println("ok\t" + text.replace("\n", "\\n"));
      } catch (RuntimeException e) {
        out.println("error\t" + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace("\n", " "));
      }
    }
    out.flush();
  }
}
