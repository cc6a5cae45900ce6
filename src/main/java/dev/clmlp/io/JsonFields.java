package dev.clmlp.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Typed reads of a JSON object's fields, whose errors name the field by its path
 * ("layers[1].units"), what was expected and what was found, instead of Gson's
 * NullPointerException or ClassCastException. They throw IllegalArgumentException; the reader
 * of a file wraps it with the file's name.
 *
 * @param object the JSON object read
 * @param path   its path from the root, "" for the root itself
 */
public record JsonFields(JsonObject object, String path) {
    /**
     * @param json a JSON text
     * @return its root object
     * @throws IllegalArgumentException when it is not valid JSON or not an object
     */
    public static JsonFields parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) throw new IllegalArgumentException("expected a JSON object, found " + brief(root));
        return new JsonFields(root.getAsJsonObject(), "");
    }

    /**
     * @param name a field
     * @return whether the object has it with a non-null value
     */
    public boolean has(String name) { return object.has(name) && !object.get(name).isJsonNull(); }

    /**
     * @param name a field
     * @return its string value
     * @throws IllegalArgumentException when it is missing or not a string
     */
    public String string(String name) {
        JsonElement e = require(name);
        if (!(e instanceof JsonPrimitive p) || !p.isString()) throw wrong(name, "a string", e);
        return p.getAsString();
    }

    /**
     * @param name a field
     * @return its boolean value
     * @throws IllegalArgumentException when it is missing or not a boolean
     */
    public boolean bool(String name) {
        JsonElement e = require(name);
        if (!(e instanceof JsonPrimitive p) || !p.isBoolean()) throw wrong(name, "true or false", e);
        return p.getAsBoolean();
    }

    /**
     * @param name a field
     * @return its integer value
     * @throws IllegalArgumentException when it is missing or not an integer
     */
    public long integer(String name) {
        JsonElement e = require(name);
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) return p.getAsLong();
        }
        throw wrong(name, "an integer", e);
    }

    /**
     * @param name a field
     * @param min  the smallest value allowed
     * @param max  the largest value allowed
     * @return its integer value
     * @throws IllegalArgumentException when it is missing, not an integer, or out of range
     */
    public int integer(String name, int min, int max) {
        long v = integer(name);
        if (v < min || v > max) throw wrong(name, "an integer in " + min + ".." + max, require(name));
        return (int) v;
    }

    /**
     * @param name a field
     * @return its value, a finite number
     * @throws IllegalArgumentException when it is missing or not a finite number
     */
    public double number(String name) {
        JsonElement e = require(name);
        if (e instanceof JsonPrimitive p && p.isNumber() && Double.isFinite(p.getAsDouble())) return p.getAsDouble();
        throw wrong(name, "a finite number", e);
    }

    /**
     * @param name a field
     * @return its value, an object, with its path
     * @throws IllegalArgumentException when it is missing or not an object
     */
    public JsonFields object(String name) {
        JsonElement e = require(name);
        if (!e.isJsonObject()) throw wrong(name, "an object", e);
        return new JsonFields(e.getAsJsonObject(), at(name));
    }

    /**
     * @param name a field
     * @return its value, an array
     * @throws IllegalArgumentException when it is missing or not an array
     */
    public JsonArray array(String name) {
        JsonElement e = require(name);
        if (!e.isJsonArray()) throw wrong(name, "an array", e);
        return e.getAsJsonArray();
    }

    /**
     * @param name a field
     * @return its value, an array of finite numbers, as floats
     * @throws IllegalArgumentException naming the first element that is not a finite number
     */
    public float[] floats(String name) {
        JsonArray a = array(name);
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = a.get(i);
            if (!(e instanceof JsonPrimitive p && p.isNumber() && Float.isFinite(p.getAsFloat())))
                throw new IllegalArgumentException("field '" + at(name) + "[" + i + "]': expected a finite number, found " + brief(e));
            out[i] = e.getAsFloat();
        }
        return out;
    }

    /**
     * @param name a field holding an array of strings
     * @return its strings
     * @throws IllegalArgumentException naming the field when it is missing or holds anything else
     */
    public java.util.List<String> strings(String name) {
        JsonArray a = array(name);
        java.util.List<String> out = new java.util.ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement e = a.get(i);
            if (!(e instanceof JsonPrimitive p && p.isString()))
                throw new IllegalArgumentException("field '" + at(name) + "[" + i + "]': expected a string, found " + brief(e));
            out.add(e.getAsString());
        }
        return out;
    }

    /**
     * @param name an array field
     * @param i    an index into it
     * @return element i, which must be an object, with its path ("layers[1]")
     */
    public JsonFields element(String name, int i) {
        JsonElement e = array(name).get(i);
        String where = at(name) + "[" + i + "]";
        if (!e.isJsonObject()) throw new IllegalArgumentException("field '" + where + "': expected an object, found " + brief(e));
        return new JsonFields(e.getAsJsonObject(), where);
    }

    private JsonElement require(String name) {
        if (!has(name)) throw new IllegalArgumentException("field '" + at(name) + "' is missing");
        return object.get(name);
    }

    private String at(String name) { return path.isEmpty() ? name : path + "." + name; }

    private IllegalArgumentException wrong(String name, String expected, JsonElement found) {
        return new IllegalArgumentException("field '" + at(name) + "': expected " + expected + ", found " + brief(found));
    }

    private static String brief(JsonElement e) {
        String s = e.toString();
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
