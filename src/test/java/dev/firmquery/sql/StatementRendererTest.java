package dev.firmquery.sql;

import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Random;

import static dev.firmquery.sql.Templates.FIRM_NAMES;
import static dev.firmquery.sql.Templates.assertMentions;
import static dev.firmquery.sql.Templates.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

class StatementRendererTest {
    private static final String HEAD = "SELECT t1.firm_root_id, t1.firm_name FROM firm t1\nWHERE t1.firm_root_id ";
    private static final IdList THREE_LONGS = IdList.ofLongs(new long[] {101, 7, 9_223_372_036_854_775_807L});
    private static final IdList THREE_TEXTS = IdList.ofTexts(new String[] {"A-1", "B'2", "C"});

    private static StatementRenderer renderer(String sql, IdBinding binding, IdType type) throws TemplateException {
        return new StatementRenderer(parse(sql), binding, type);
    }

    private static String refusal(String sql, IdBinding binding, IdType type) {
        return assertThrows(TemplateException.class, () -> renderer(sql, binding, type)).getMessage();
    }

    /** Bind: one ? per ID. */
    @Nested
    class Bind {
        @Test
        void placeholderBecomesCommaSeparatedQuestionMarks() throws Exception {
            assertEquals(HEAD + "IN (?, ?)", renderer(FIRM_NAMES, IdBinding.BIND, IdType.INTEGER).sql(THREE_LONGS, 1, 3));
        }

        @Test
        void integerIdsAreBoundInOrderFromParameterOne() throws Exception {
            PreparedStatement ps = mock(PreparedStatement.class);
            renderer(FIRM_NAMES, IdBinding.BIND, IdType.INTEGER).bind(ps, THREE_LONGS, 1, 3);
            var order = inOrder(ps);
            order.verify(ps).setLong(1, 7L);
            order.verify(ps).setLong(2, 9_223_372_036_854_775_807L);
            order.verifyNoMoreInteractions();
        }

        @Test
        void aSliceAfterAnotherInOneStatementIsBoundFromTheParameterGiven() throws Exception {
            // Two chunks in one statement (GroupFetch): the second's IDs follow the first's parameters.
            PreparedStatement ps = mock(PreparedStatement.class);
            StatementRenderer r = renderer(FIRM_NAMES, IdBinding.BIND, IdType.INTEGER);
            assertEquals(2, r.bind(ps, THREE_LONGS, 0, 2, 1));
            assertEquals(1, r.bind(ps, THREE_LONGS, 2, 3, 3));
            var order = inOrder(ps);
            order.verify(ps).setLong(1, 101L);
            order.verify(ps).setLong(2, 7L);
            order.verify(ps).setLong(3, 9_223_372_036_854_775_807L);
            order.verifyNoMoreInteractions();
            assertThrows(IllegalArgumentException.class, () -> r.bind(ps, THREE_LONGS, 0, 1, 0));
        }

        @Test
        void textIdsAreBoundAsStrings() throws Exception {
            PreparedStatement ps = mock(PreparedStatement.class);
            renderer(FIRM_NAMES, IdBinding.BIND, IdType.TEXT).bind(ps, THREE_TEXTS, 0, 3);
            verify(ps).setString(1, "A-1");
            verify(ps).setString(2, "B'2");
            verify(ps).setString(3, "C");
        }

        @Test
        void atMost32767IdsPerStatement() throws Exception {
            assertEquals(32767, renderer(FIRM_NAMES, IdBinding.BIND, IdType.INTEGER).maxIdsPerStatement());
        }
    }

    /** Literal: integer IDs written into the SQL. */
    @Nested
    class Literal {
        @Test
        void placeholderBecomesDecimalIds() throws Exception {
            assertEquals(HEAD + "IN (101, 7, 9223372036854775807)",
                    renderer(FIRM_NAMES, IdBinding.LITERAL, IdType.INTEGER).sql(THREE_LONGS, 0, 3));
        }

        @Test
        void bindsNothing() throws Exception {
            PreparedStatement ps = mock(PreparedStatement.class);
            renderer(FIRM_NAMES, IdBinding.LITERAL, IdType.INTEGER).bind(ps, THREE_LONGS, 0, 3);
            verifyNoInteractions(ps);
        }

        @Test
        void textIdsAreRefused() {
            String message = refusal(FIRM_NAMES, IdBinding.LITERAL, IdType.TEXT);
            assertMentions(message, "q.sql:2:27:", "id_binding literal is only for integer ids",
                    "processing.id_binding: bind");
        }

        @Test
        void noLimitOnIdsPerStatement() throws Exception {
            assertEquals(Integer.MAX_VALUE, renderer(FIRM_NAMES, IdBinding.LITERAL, IdType.INTEGER).maxIdsPerStatement());
        }
    }

    /** Array: IN ({ID_PLACEHOLDER}) becomes = ANY(?). */
    @Nested
    class ArrayBinding {
        @Test
        void inListBecomesAnyOfOneArray() throws Exception {
            assertEquals(HEAD + "= ANY(?)", renderer(FIRM_NAMES, IdBinding.ARRAY, IdType.INTEGER).sql(THREE_LONGS, 0, 3));
        }

        @Test
        void lowerCaseInWithOddSpacingNewlinesAndCommentsIsRewritten() throws Exception {
            String sql = "SELECT id FROM t WHERE id\n  in\t/* ids */(\n   {ID_PLACEHOLDER}\n  )\nORDER BY id";
            assertEquals("SELECT id FROM t WHERE id\n  = ANY(?)\nORDER BY id",
                    renderer(sql, IdBinding.ARRAY, IdType.INTEGER).sql(THREE_LONGS, 0, 1));
        }

        @Test
        void notInBecomesNotEqualToAll() throws Exception {
            String sql = "SELECT id FROM t WHERE id NOT IN ({ID_PLACEHOLDER}) AND x";
            assertEquals("SELECT id FROM t WHERE id <> ALL(?) AND x",
                    renderer(sql, IdBinding.ARRAY, IdType.INTEGER).sql(THREE_LONGS, 0, 1));
        }

        @Test
        void statementIsTheSameForEverySlice() throws Exception {
            StatementRenderer renderer = renderer(FIRM_NAMES, IdBinding.ARRAY, IdType.INTEGER);
            assertEquals(renderer.sql(THREE_LONGS, 0, 1), renderer.sql(THREE_LONGS, 0, 3));
        }

        @Test
        void placeholderOutsideAnInListIsRefusedAtItsPosition() {
            String message = refusal("SELECT id FROM t\nWHERE id = ({ID_PLACEHOLDER})", IdBinding.ARRAY, IdType.INTEGER);
            assertMentions(message, "q.sql:2:13:", "id_binding array needs", "IN ({ID_PLACEHOLDER})",
                    "processing.id_binding: bind");
        }

        @Test
        void placeholderSharingTheInListIsRefused() {
            String message = refusal("SELECT id FROM t WHERE id IN (0, {ID_PLACEHOLDER})", IdBinding.ARRAY, IdType.INTEGER);
            assertMentions(message, "id_binding array needs");
        }

        @Test
        void integerIdsGoAsAPrimitiveInt8ArrayThroughPgjdbc() throws Exception {
            PreparedStatement ps = mock(PreparedStatement.class);
            Connection connection = mock(Connection.class);
            PGConnection pg = mock(PGConnection.class);
            Array array = mock(Array.class);
            when(ps.getConnection()).thenReturn(connection);
            when(connection.isWrapperFor(PGConnection.class)).thenReturn(true);
            when(connection.unwrap(PGConnection.class)).thenReturn(pg);
            when(pg.createArrayOf(eq("int8"), any())).thenReturn(array);

            renderer(FIRM_NAMES, IdBinding.ARRAY, IdType.INTEGER).bind(ps, THREE_LONGS, 1, 3);

            var captor = org.mockito.ArgumentCaptor.forClass(Object.class);
            verify(pg).createArrayOf(eq("int8"), captor.capture());
            assertArrayEquals(new long[] {7, 9_223_372_036_854_775_807L}, (long[]) captor.getValue());
            verify(ps).setArray(1, array);
        }

        @Test
        void integerIdsFallBackToBoxedArrayOnOtherDrivers() throws Exception {
            PreparedStatement ps = mock(PreparedStatement.class);
            Connection connection = mock(Connection.class);
            Array array = mock(Array.class);
            when(ps.getConnection()).thenReturn(connection);
            when(connection.createArrayOf("int8", new Object[] {101L, 7L})).thenReturn(array);

            renderer(FIRM_NAMES, IdBinding.ARRAY, IdType.INTEGER).bind(ps, THREE_LONGS, 0, 2);

            verify(ps).setArray(1, array);
        }

        @Test
        void textIdsGoAsATextArray() throws Exception {
            PreparedStatement ps = mock(PreparedStatement.class);
            Connection connection = mock(Connection.class);
            Array array = mock(Array.class);
            when(ps.getConnection()).thenReturn(connection);
            when(connection.createArrayOf("text", new Object[] {"B'2", "C"})).thenReturn(array);

            renderer(FIRM_NAMES, IdBinding.ARRAY, IdType.TEXT).bind(ps, THREE_TEXTS, 1, 3);

            verify(ps).setArray(1, array);
            verify(ps, never()).setString(anyInt(), any());
        }
    }

    /** Parameter markers of the template's own are refused. */
    @Nested
    class ParameterMarkers {
        @ParameterizedTest
        @EnumSource(IdBinding.class)
        void questionMarkInSqlCodeIsRefusedWithTheJsonbFunctions(IdBinding binding) {
            String sql = "SELECT id FROM t WHERE id IN ({ID_PLACEHOLDER})\n  AND doc ?| array['a']";
            String message = refusal(sql, binding, IdType.INTEGER);
            assertMentions(message, "q.sql:2:11:", "'?' in SQL code", "bind parameter", "jsonb_exists_any");
        }

        @Test
        void questionMarkInsideStringsAndCommentsIsFine() throws Exception {
            String sql = "SELECT 'why?' AS q, \"a?\" FROM t -- really?\nWHERE id IN ({ID_PLACEHOLDER}) /* ? */";
            assertEquals(sql.replace("{ID_PLACEHOLDER}", "?"),
                    renderer(sql, IdBinding.BIND, IdType.INTEGER).sql(THREE_LONGS, 0, 1));
        }

        @Test
        void positionalParameterIsRefused() {
            String message = refusal("SELECT id FROM t WHERE id IN ({ID_PLACEHOLDER}) AND x = $1",
                    IdBinding.BIND, IdType.INTEGER);
            assertMentions(message, "positional parameter $1");
        }
    }

    /** The length model matches the rendered SQL. */
    @Nested
    class LengthModel {
        @ParameterizedTest
        @EnumSource(IdBinding.class)
        void renderedLengthOfRandomSlicesEqualsTheModel(IdBinding binding) throws Exception {
            Random random = new Random(20_26_11_22L + binding.ordinal());
            long[] values = new long[2_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = randomId(random);
            }
            IdList ids = IdList.ofLongs(values);
            StatementRenderer renderer = renderer(FIRM_NAMES, binding, IdType.INTEGER);
            for (int trial = 0; trial < 500; trial++) {
                int from = random.nextInt(values.length);
                int to = from + 1 + random.nextInt(Math.min(300, values.length - from));
                String sql = renderer.sql(ids, from, to);
                long model = renderer.fixedLength() + (long) renderer.separatorLength() * (to - from - 1);
                for (int i = from; i < to; i++) {
                    model += renderer.idLength(ids, i);
                }
                assertEquals(sql.length(), model, "slice [" + from + ", " + to + ")");
                assertEquals(sql.length(), renderer.length(ids, from, to), "slice [" + from + ", " + to + ")");
            }
        }

        @Test
        void textIdsInBindModeCostOneCharacterEach() throws Exception {
            StatementRenderer renderer = renderer(FIRM_NAMES, IdBinding.BIND, IdType.TEXT);
            assertEquals(renderer.sql(THREE_TEXTS, 0, 3).length(), renderer.length(THREE_TEXTS, 0, 3));
            assertEquals(1, renderer.idLength(THREE_TEXTS, 1));
        }

        @Test
        void decimalLengthMatchesLongToStringAtEveryPowerOfTen() {
            long value = 1;
            for (int digits = 1; digits <= 19; digits++) {
                for (long probe : new long[] {value - 1, value, value + 1}) {
                    assertEquals(Long.toString(probe).length(), StatementRenderer.decimalLength(probe), "" + probe);
                }
                value = digits < 19 ? value * 10 : value;
            }
            for (long probe : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, -10, 0}) {
                assertEquals(Long.toString(probe).length(), StatementRenderer.decimalLength(probe), "" + probe);
            }
        }

        private long randomId(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> random.nextInt(10);
                case 1 -> random.nextInt(1_000_000);
                case 2 -> random.nextLong() & Long.MAX_VALUE;
                default -> (long) Math.pow(10, random.nextInt(19));
            };
        }
    }

    /** Slices are checked. */
    @Nested
    class Slices {
        @Test
        void emptySliceIsRefused() throws Exception {
            StatementRenderer renderer = renderer(FIRM_NAMES, IdBinding.BIND, IdType.INTEGER);
            assertThrows(IllegalArgumentException.class, () -> renderer.sql(THREE_LONGS, 2, 2));
        }

        @Test
        void sliceBeyondTheListIsRefused() throws Exception {
            StatementRenderer renderer = renderer(FIRM_NAMES, IdBinding.BIND, IdType.INTEGER);
            assertThrows(IllegalArgumentException.class, () -> renderer.sql(THREE_LONGS, 1, 4));
        }

        @Test
        void idListOfTheOtherTypeIsRefused() throws Exception {
            StatementRenderer renderer = renderer(FIRM_NAMES, IdBinding.LITERAL, IdType.INTEGER);
            assertThrows(IllegalArgumentException.class, () -> renderer.sql(THREE_TEXTS, 0, 1));
        }
    }
}
