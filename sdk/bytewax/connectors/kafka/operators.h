// File: bytewax/connectors/kafka/operators.h
//
// Kafka operators (Bytewax 0.18's `bytewax.connectors.kafka.operators`):
// read Kafka into a stream of messages plus a stream of errors, write
// messages, and (de)serialize keys and values with any serializer (for
// instance the schema-registry ones of kafka/registry.h).
//
//   namespace kop = bytewax::connectors::kafka::operators;
//   auto kinp = kop::input("kafka-in", flow, {"localhost:9092"}, {"in"});
//   op::inspect("errors", kinp.errs);
//   auto msgs = kop::deserialize_value("de", kinp.oks, registry.deserializer(SchemaRef("v")));
//   auto out = op::map("out-msgs", msgs.oks, [](KafkaSourceMessage m) { return m.to_sink(); });
//   kop::output("kafka-out", out, {"localhost:9092"}, "out");
//
// Operators, with Python's parameters in Python's order:
//  * input(step_id, flow, brokers, topics, tail = true, starting_offset =
//    OFFSET_BEGINNING, add_config = {}, batch_size = 1000) -> KafkaSourceOut
//    (`.oks`: Stream<KafkaSourceMessage>, `.errs`: Stream<KafkaError>).
//    The source step is `step_id` itself (its snapshots, the next offset of
//    every partition, live under that id); the split adds steps
//    "{step_id}_oks" and "{step_id}_errs".
//  * output(step_id, up, brokers, topic, add_config = {}): `up` is a
//    Stream<KafkaSinkMessage>, or a Stream<KafkaSourceMessage> that is
//    converted with to_sink() (step "{step_id}_to_sink").
//  * deserialize_key / deserialize_value(step_id, up, deserializer) and
//    deserialize(step_id, up, key_deserializer, val_deserializer) ->
//    KafkaSourceOut: a message whose key or value the deserializer rejects
//    (throws) goes to `.errs` as KafkaError with code KEY_DESERIALIZATION
//    / VALUE_DESERIALIZATION and the exception's what() as its reason,
//    carrying the original message. Steps: `step_id` (the map), then
//    "{step_id}_oks" and "{step_id}_errs".
//  * serialize_key / serialize_value(step_id, up, serializer) and
//    serialize(step_id, up, key_serializer, val_serializer) ->
//    Stream<KafkaSinkMessage>; a serializer that throws fails the flow
//    (Python's "crash on error"). Source messages are converted with
//    to_sink() first.
//
// A (de)serializer is an object with `de(data)` / `ser(obj)` (as
// registry.h's SchemaDeserializer / SchemaSerializer), or any callable.
// It is called with `const std::optional<std::string>&` when it accepts
// that, else with `const std::string&` (an absent key or value is then an
// error: "Can't deserialize None data" / "Can't serialize None data"), and
// returns std::string or std::optional<std::string>.
//
// Thread-safety: as any operator's callables, (de)serializers are called
// by the worker threads, one item at a time per worker; registry.h's are
// safe to share.

#ifndef BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_OPERATORS_H_
#define BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_OPERATORS_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sdk/bytewax/connectors/kafka.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/operators.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace kafka {
namespace operators {

// The two streams of input and deserialize*.
struct KafkaSourceOut {
  dataflow::Stream<KafkaSourceMessage> oks;
  dataflow::Stream<KafkaError> errs;
};

namespace kop_internal {

namespace bop = ::bytewax::operators;

template <class T, class = void>
struct HasDe : std::false_type {};
template <class T>
struct HasDe<T, std::void_t<decltype(std::declval<T&>().de(
                    std::declval<const std::optional<std::string>&>()))>> : std::true_type {};
template <class T, class = void>
struct HasSer : std::false_type {};
template <class T>
struct HasSer<T, std::void_t<decltype(std::declval<T&>().ser(
                     std::declval<const std::optional<std::string>&>()))>> : std::true_type {};

template <class R>
std::optional<std::string> ToBytes(R&& r) {
  static_assert(std::is_convertible_v<R, std::optional<std::string>>,
                "kop: a (de)serializer must return std::string or std::optional<std::string>");
  return std::optional<std::string>(std::forward<R>(r));
}

// Calls a (de)serializer `f` on `data` (see the top of this file).
template <bool kDe, class F>
std::optional<std::string> Apply(F& f, const std::optional<std::string>& data) {
  if constexpr (kDe && HasDe<F>::value) {
    return ToBytes(f.de(data));
  } else if constexpr (!kDe && HasSer<F>::value) {
    return ToBytes(f.ser(data));
  } else if constexpr (std::is_invocable_v<F&, const std::optional<std::string>&>) {
    return ToBytes(f(data));
  } else {
    static_assert(std::is_invocable_v<F&, const std::string&>,
                  "kop: a (de)serializer must have de()/ser() or be callable with "
                  "`const std::string&` or `const std::optional<std::string>&`");
    if (!data) {
      throw std::invalid_argument(kDe ? "Can't deserialize None data"
                                      : "Can't serialize None data");
    }
    return ToBytes(f(*data));
  }
}

// Splits a stream of messages and errors into .oks and .errs.
inline KafkaSourceOut Split(const std::string& step_id,
                            const dataflow::Stream<KafkaSourceItem>& up) {
  auto oks = bop::filter_map(step_id + "_oks", up,
                             [](KafkaSourceItem&& item) -> std::optional<KafkaSourceMessage> {
                               if (auto* m = std::get_if<KafkaSourceMessage>(&item)) {
                                 return std::move(*m);
                               }
                               return std::nullopt;
                             });
  auto errs = bop::filter_map(step_id + "_errs", up,
                              [](KafkaSourceItem&& item) -> std::optional<KafkaError> {
                                if (auto* e = std::get_if<KafkaError>(&item)) return std::move(*e);
                                return std::nullopt;
                              });
  return KafkaSourceOut{std::move(oks), std::move(errs)};
}

// The message with the result of `de` in *field, or a KafkaError of
// `code` carrying the original message.
template <class D>
KafkaSourceItem Deserialize(KafkaSourceMessage&& msg, D& de, std::optional<std::string>* field,
                            int code) {
  try {
    std::optional<std::string> out = Apply<true>(de, *field);
    *field = std::move(out);
    return KafkaSourceItem(std::move(msg));
  } catch (const std::exception& e) {
    return KafkaSourceItem(KafkaError{ConfluentKafkaError(code, e.what()), std::move(msg)});
  }
}

template <class X>
dataflow::Stream<KafkaSinkMessage> ToSink(const std::string& step_id,
                                          const dataflow::Stream<X>& up) {
  if constexpr (std::is_same_v<X, KafkaSinkMessage>) {
    (void)step_id;
    return up;
  } else {
    static_assert(std::is_same_v<X, KafkaSourceMessage>,
                  "kop: the stream must hold KafkaSinkMessage or KafkaSourceMessage");
    return bop::map(step_id + "_to_sink", up, [](KafkaSourceMessage&& m) { return m.to_sink(); });
  }
}

}  // namespace kop_internal

// Reads Kafka topics; errors go to `.errs` instead of failing the flow.
inline KafkaSourceOut input(const std::string& step_id, const dataflow::Dataflow& flow,
                            std::vector<std::string> brokers, std::vector<std::string> topics,
                            bool tail = true, std::int64_t starting_offset = OFFSET_BEGINNING,
                            std::map<std::string, std::string> add_config = {},
                            std::size_t batch_size = 1000) {
  auto items = kop_internal::bop::input(
      step_id, flow,
      KafkaSourceWithErrors(std::move(brokers), std::move(topics), tail, starting_offset,
                            std::move(add_config), batch_size));
  return kop_internal::Split(step_id, items);
}

// Writes messages to Kafka (`topic` unless a message names its own).
template <class X>
void output(const std::string& step_id, const dataflow::Stream<X>& up,
            std::vector<std::string> brokers, std::optional<std::string> topic,
            std::map<std::string, std::string> add_config = {}) {
  kop_internal::bop::output(step_id, kop_internal::ToSink(step_id, up),
                            KafkaSink(std::move(brokers), std::move(topic), std::move(add_config)));
}

template <class D>
KafkaSourceOut deserialize_key(const std::string& step_id,
                               const dataflow::Stream<KafkaSourceMessage>& up, D deserializer) {
  auto items = kop_internal::bop::map(
      step_id, up, [de = std::move(deserializer)](KafkaSourceMessage&& m) mutable {
        std::optional<std::string>* field = &m.key;
        return kop_internal::Deserialize(std::move(m), de, field,
                                         ConfluentKafkaError::KEY_DESERIALIZATION);
      });
  return kop_internal::Split(step_id, items);
}

template <class D>
KafkaSourceOut deserialize_value(const std::string& step_id,
                                 const dataflow::Stream<KafkaSourceMessage>& up, D deserializer) {
  auto items = kop_internal::bop::map(
      step_id, up, [de = std::move(deserializer)](KafkaSourceMessage&& m) mutable {
        std::optional<std::string>* field = &m.value;
        return kop_internal::Deserialize(std::move(m), de, field,
                                         ConfluentKafkaError::VALUE_DESERIALIZATION);
      });
  return kop_internal::Split(step_id, items);
}

// Deserializes keys and values; a message whose key or value fails goes
// to `.errs` unchanged.
template <class KD, class VD>
KafkaSourceOut deserialize(const std::string& step_id,
                           const dataflow::Stream<KafkaSourceMessage>& up, KD key_deserializer,
                           VD val_deserializer) {
  auto items = kop_internal::bop::map(
      step_id, up,
      [kd = std::move(key_deserializer),
       vd = std::move(val_deserializer)](KafkaSourceMessage&& m) mutable -> KafkaSourceItem {
        std::optional<std::string> key;
        try {
          key = kop_internal::Apply<true>(kd, m.key);
        } catch (const std::exception& e) {
          return KafkaError{ConfluentKafkaError(ConfluentKafkaError::KEY_DESERIALIZATION, e.what()),
                            std::move(m)};
        }
        std::optional<std::string> value;
        try {
          value = kop_internal::Apply<true>(vd, m.value);
        } catch (const std::exception& e) {
          return KafkaError{
              ConfluentKafkaError(ConfluentKafkaError::VALUE_DESERIALIZATION, e.what()),
              std::move(m)};
        }
        m.key = std::move(key);
        m.value = std::move(value);
        return m;
      });
  return kop_internal::Split(step_id, items);
}

template <class X, class S>
dataflow::Stream<KafkaSinkMessage> serialize_key(const std::string& step_id,
                                                 const dataflow::Stream<X>& up, S serializer) {
  return kop_internal::bop::map(step_id, kop_internal::ToSink(step_id, up),
                                [ser = std::move(serializer)](KafkaSinkMessage&& m) mutable {
                                  m.key = kop_internal::Apply<false>(ser, m.key);
                                  return std::move(m);
                                });
}

template <class X, class S>
dataflow::Stream<KafkaSinkMessage> serialize_value(const std::string& step_id,
                                                   const dataflow::Stream<X>& up, S serializer) {
  return kop_internal::bop::map(step_id, kop_internal::ToSink(step_id, up),
                                [ser = std::move(serializer)](KafkaSinkMessage&& m) mutable {
                                  m.value = kop_internal::Apply<false>(ser, m.value);
                                  return std::move(m);
                                });
}

template <class X, class KS, class VS>
dataflow::Stream<KafkaSinkMessage> serialize(const std::string& step_id,
                                             const dataflow::Stream<X>& up, KS key_serializer,
                                             VS val_serializer) {
  return kop_internal::bop::map(step_id, kop_internal::ToSink(step_id, up),
                                [ks = std::move(key_serializer),
                                 vs = std::move(val_serializer)](KafkaSinkMessage&& m) mutable {
                                  std::optional<std::string> key =
                                      kop_internal::Apply<false>(ks, m.key);
                                  m.value = kop_internal::Apply<false>(vs, m.value);
                                  m.key = std::move(key);
                                  return std::move(m);
                                });
}

}  // namespace operators
}  // namespace kafka
}  // namespace connectors
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_OPERATORS_H_
