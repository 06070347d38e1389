//! Cases of the second half of the Go port, in its order: every `TestXxx` whose definition starts
//! at or after character 26000 of `compliance_test.go`.

mod async_overrides;
mod classes;
mod collections;
mod interfaces;
mod naming;
mod overrides;
mod structs;

use crate::harness::Case;

pub fn cases() -> Vec<Case> {
    vec![
        Case::run(
            "TestCollectionOfInterfaces_MapOfInterfaces",
            collections::map_of_interfaces,
        ),
        Case::run(
            "TestStructs_multiplePropertiesEquals",
            structs::multiple_properties_equals,
        ),
        Case::run(
            "TestAsyncOverrides_callAsyncMethod",
            async_overrides::call_async_method,
        ),
        Case::run(
            "TestDoNotOverridePrivates_property_getter_private",
            overrides::do_not_override_private_property_getter,
        ),
        Case::run(
            "TestStructs_withDiamondInheritance_correctlyDedupeProperties",
            structs::diamond_inheritance_dedupes_properties,
        ),
        Case::run(
            "TestDoNotOverridePrivates_property_by_name_private",
            overrides::do_not_override_private_property_by_name,
        ),
        Case::run(
            "TestMapInClassCanBeReadCorrectly",
            collections::map_in_class_can_be_read,
        ),
        Case::run(
            "TestAsyncOverrides_overrideThrows",
            async_overrides::override_throws,
        ),
        Case::run(
            "TestHashCodeIsResistantToPropertyShadowingResultVariable",
            structs::hash_resists_property_shadowing_result_variable,
        ),
        Case::run(
            "TestStructs_MultiplePropertiesHashCode",
            structs::multiple_properties_hash,
        ),
        Case::run("TestStructs_OptionalHashCode", structs::optional_hash),
        Case::run(
            "TestReturnSubclassThatImplementsInterface976",
            interfaces::return_subclass_that_implements_interface_976,
        ),
        Case::run("TestStructs_OptionalEquals", structs::optional_equals),
        Case::run(
            "TestPropertyOverrides_Get_Calls_Super",
            overrides::property_get_calls_super,
        ),
        Case::run(
            "TestUnmarshallIntoAbstractType",
            classes::unmarshall_into_abstract_type,
        ),
        Case::run(
            "TestFail_SyncOverrides_CallsDoubleAsync_PropertyGetter",
            overrides::sync_override_calling_async_fails_in_property_getter,
        ),
        Case::run(
            "TestFail_SyncOverrides_CallsDoubleAsync_PropertySetter",
            overrides::sync_override_calling_async_fails_in_property_setter,
        ),
        Case::run("TestPropertyOverrides_Get_Set", overrides::property_get_set),
        Case::run(
            "TestVariadicMethodCanBeInvoked",
            collections::variadic_method_can_be_invoked,
        ),
        Case::run("TestCollectionTypes", collections::collection_types),
        Case::run(
            "TestAsyncOverrides_OverrideAsyncMethodByParentClass",
            async_overrides::override_async_method_by_parent_class,
        ),
        Case::run(
            "TestTestStructsCanBeDowncastedToParentType",
            structs::structs_can_be_downcasted_to_parent_type,
        ),
        Case::run(
            "TestPropertyOverrides_Get_Throws",
            overrides::property_get_throws,
        ),
        Case::run(
            "TestGetSetPrimitiveProperties",
            classes::get_set_primitive_properties,
        ),
        Case::run(
            "TestGetAndSetNonPrimitiveProperties",
            classes::get_and_set_non_primitive_properties,
        ),
        Case::run(
            "TestReservedKeywordsAreSlugifiedInStructProperties",
            naming::keywords_in_struct_properties,
        ),
        Case::run(
            "TestDoNotOverridePrivates_Method_Public",
            overrides::do_not_override_private_method,
        ),
        Case::run(
            "TestDoNotOverridePrivates_Property_By_Name_Public",
            overrides::do_not_override_private_property_by_public_name,
        ),
        Case::run(
            "TestTestNullIsAValidOptionalList",
            collections::null_is_a_valid_optional_list,
        ),
        Case::run(
            "TestMapInClassCannotBeModified",
            collections::map_in_class_cannot_be_modified,
        ),
        Case::run(
            "TestAsyncOverrides_TwoOverrides",
            async_overrides::two_overrides,
        ),
        Case::run(
            "TestPropertyOverrides_Set_Calls_Super",
            overrides::property_set_calls_super,
        ),
        Case::run(
            "TestIso8601DoesNotDeserializeToDate",
            overrides::iso8601_does_not_deserialize_to_date,
        ),
        Case::run(
            "TestCollectionOfInterfaces_ListOfInterfaces",
            collections::list_of_interfaces,
        ),
        Case::run("TestUndefinedAndNull", classes::undefined_and_null),
        Case::run("TestStructs_SerializeToJsii", structs::serialize_to_jsii),
        Case::run(
            "TestCanObtainReferenceWithOverloadedSetter",
            classes::can_obtain_reference_with_overloaded_setter,
        ),
        Case::run(
            "TestTestJsObjectLiteralToNative",
            interfaces::js_object_literal_to_native,
        ),
        Case::run(
            "TestClassWithPrivateConstructorAndAutomaticProperties",
            classes::private_constructor_and_automatic_properties,
        ),
        Case::run(
            "TestArrayReturnedByMethodCannotBeModified",
            collections::array_returned_by_method_cannot_be_modified,
        ),
        Case::run(
            "TestCorrectlyDeserializesStructUnions",
            structs::correctly_deserializes_struct_unions,
        ),
        Case::run("TestSubclassing", classes::subclassing),
        Case::run("TestTestInterfaces", interfaces::interfaces),
        Case::run(
            "TestReservedKeywordsAreSlugifiedInClassProperties",
            naming::keywords_in_class_properties,
        ),
        Case::run(
            "TestObjectIdDoesNotGetReallocatedWhenTheConstructorPassesThisOut",
            overrides::object_id_kept_when_the_constructor_passes_this_out,
        ),
        Case::run("TestInterfaceBuilder", interfaces::interface_builder),
        Case::run("TestUnionTypes", classes::union_types),
        Case::run("TestArrays", collections::arrays),
        Case::run(
            "TestStaticMapInClassCannotBeModified",
            collections::static_map_in_class_cannot_be_modified,
        ),
        Case::run("TestConsts", classes::consts),
        Case::run(
            "TestReceiveInstanceOfPrivateClass",
            interfaces::receive_instance_of_private_class,
        ),
        Case::run(
            "TestMapReturnedByMethodCannotBeModified",
            collections::map_returned_by_method_cannot_be_modified,
        ),
        Case::run(
            "TestStaticListInClassCanBeReadCorrectly",
            collections::static_list_in_class_can_be_read,
        ),
        Case::run("TestFluentApi", structs::fluent_api),
        Case::run(
            "TestCanLeverageIndirectInterfacePolymorphism",
            interfaces::indirect_interface_polymorphism,
        ),
        Case::run(
            "TestPropertyOverrides_Set_Throws",
            overrides::property_set_throws,
        ),
        Case::run(
            "TestStructs_NonOptionalhashCode",
            structs::non_optional_hash,
        ),
        Case::run("TestTestLiteralInterface", interfaces::literal_interface),
        Case::run(
            "TestReservedKeywordsAreSlugifiedInMethodNames",
            naming::keywords_in_method_names,
        ),
        Case::run(
            "TestPureInterfacesCanBeUsedTransparently_WhenTransitivelyImplementing",
            interfaces::pure_interface_implemented_transitively,
        ),
        Case::run("TestExceptions", classes::exceptions),
        Case::run(
            "TestSyncOverrides_CallsSuper",
            overrides::sync_overrides_call_super,
        ),
        Case::run(
            "TestAsyncOverrides_OverrideCallsSuper",
            async_overrides::override_calls_super,
        ),
        Case::run("TestSyncOverrides", overrides::sync_overrides),
        Case::run(
            "TestAsyncOverrides_OverrideAsyncMethod",
            async_overrides::override_async_method,
        ),
        Case::run(
            "TestFail_SyncOverrides_CallsDoubleAsync_Method",
            overrides::sync_override_calling_async_fails_in_method,
        ),
        Case::run(
            "TestCollectionOfInterfaces_MapOfStructs",
            collections::map_of_structs,
        ),
        Case::run(
            "TestCallbackParameterIsInterface",
            interfaces::callback_parameter_is_interface,
        ),
        Case::run(
            "TestClassCanBeUsedWhenNotExpressedlyLoaded",
            overrides::class_usable_when_not_expressly_loaded,
        ),
        Case::run("TestDownCasting", interfaces::down_casting),
        Case::run(
            "TestStrippedDeprecatedMemberCanBeReceived",
            interfaces::stripped_deprecated_member_can_be_received,
        ),
    ]
}
