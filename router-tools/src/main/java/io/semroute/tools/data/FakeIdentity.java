package io.semroute.tools.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row of the PII generator's identity table ({@code FakeNameGenerator.com_3000.csv}): the
 * fields the template generator fills placeholders from. Empty CSV cells are empty strings.
 */
public record FakeIdentity(
    String gender,
    String nameSet,
    String title,
    String givenName,
    String middleInitial,
    String surname,
    String streetAddress,
    String city,
    String state,
    String zipCode,
    String country,
    String email,
    String telephone,
    String birthday,
    String age,
    String occupation,
    String company,
    String domain) {

  public boolean female() {
    return gender.equalsIgnoreCase("female");
  }

  /** Reads the table by its header names, so a column reorder does not silently shift fields. */
  public static List<FakeIdentity> readCsv(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataException("missing identity table " + file);
    }
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<FakeIdentity> out = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<Map<String, String>> rows =
            new CsvMapper().readerForMapOf(String.class).with(schema).readValues(in)) {
      int line = 1;
      while (rows.hasNext()) {
        line++;
        Map<String, String> r = rows.next();
        if (!r.containsKey("GivenName") || !r.containsKey("Surname")) {
          throw new DataException(file + ": row " + line + " has no GivenName/Surname column");
        }
        out.add(
            new FakeIdentity(
                get(r, "Gender"),
                get(r, "NameSet"),
                get(r, "Title"),
                get(r, "GivenName"),
                get(r, "MiddleInitial"),
                get(r, "Surname"),
                get(r, "StreetAddress"),
                get(r, "City"),
                get(r, "State"),
                get(r, "ZipCode"),
                get(r, "CountryFull"),
                get(r, "EmailAddress"),
                get(r, "TelephoneNumber"),
                get(r, "Birthday"),
                get(r, "Age"),
                get(r, "Occupation"),
                get(r, "Company"),
                get(r, "Domain")));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DataException d) {
        throw d;
      }
      throw new DataException("cannot read identity table " + file + ": " + e.getMessage());
    }
    return out;
  }

  private static String get(Map<String, String> r, String key) {
    String v = r.get(key);
    return v == null ? "" : v.strip();
  }
}
